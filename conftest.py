"""This project's test run as far as it concerns torch (the harness names no library).

pytest-xdist's workers share the machine's cores: each gets its share of torch's
intra-op threads (one each for `make test`'s two workers on two cores). With torch's
default of one thread per core in every worker, the cores are oversubscribed and
OpenMP's waiting threads spin: the page runs took about three times the CPU time.
Subprocesses of the tests (pytester runs, builds, notebook kernels) inherit the share
through OMP_NUM_THREADS. The reader runs (tests/built_site) do not: they use a
reader's own environment, so the pages' code is checked with torch's default threads
there and with one thread here, and must print the same in both.
"""

import os
import sys


def pytest_configure(config):
    # Set by pytest-xdist in its workers only.
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return
    threads = max(1, len(os.sched_getaffinity(0)) // workerinput["workercount"])
    os.environ["OMP_NUM_THREADS"] = str(threads)
    # A torch imported before this hook has read the variable already: tell it directly.
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
