"""What a long build step tells its caller, so that a cold build is never long silent.

The figure and notebook steps (site_build/figures.py, site_build/notebooks.py) take a
``Progress``, a function told one line at a time what they are doing ("figure 2 of 9:
..."); the mkdocs hook passes mkdocs' logger, a command line passes ``print``. A single
figure or notebook can take minutes on a loaded machine: ``heartbeat`` repeats what is
still running, once a minute, until it is done.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

Progress = Callable[[str], None]
HEARTBEAT_SECONDS = 60.0


@contextlib.contextmanager
def heartbeat(
    progress: Progress | None,
    running: Callable[[], str],
    every: float = HEARTBEAT_SECONDS,
) -> Iterator[None]:
    """While the block runs, tell ``progress`` what ``running()`` says, now and then.

    Every ``every`` seconds, with the time since the block started; nothing once done.
    """
    if progress is None:
        yield
        return
    done = threading.Event()
    started = time.monotonic()

    def beat() -> None:
        while not done.wait(every):
            progress(f"{running()} ({time.monotonic() - started:.0f} s so far)")

    thread = threading.Thread(target=beat, name="build-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
