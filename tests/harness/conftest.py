# pytester's in-process runs drop the modules they import afterwards, and torch and
# numpy cannot be imported twice in one process: import them (via the site's page-state
# plug-in, which the harness loads for every page run) before any run, so they stay.
import site_build.torch_state  # noqa: F401
