"""The floor: import torch, then run every page's code once, in order. Nothing else."""

import json
import sys
from pathlib import Path

import torch  # noqa: F401  (the import is part of the floor's cost, as in every real run)

for page, blocks in json.loads(Path(sys.argv[1]).read_text()).items():
    namespace = {"__name__": "__main__"}
    for code in blocks:
        exec(compile(code, page, "exec"), namespace)  # noqa: S102  (exec is the floor)
