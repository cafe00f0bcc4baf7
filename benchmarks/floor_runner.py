"""The floor: import torch, then execute every page's code once, in order. Nothing else."""

import json
import sys

import torch  # noqa: F401  (the import is part of the floor's cost, as in every real run)

for page, blocks in json.loads(open(sys.argv[1]).read()).items():
    namespace = {"__name__": "__main__"}
    for code in blocks:
        exec(compile(code, page, "exec"), namespace)
