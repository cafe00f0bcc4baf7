"""The built site served on localhost, and the headless Chromium that opens it.

The browser tests (tests/browser) and `make bench`'s page weights (benchmarks/) both use
these, so that they open the same pages the same way.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

# $CHROMIUM, else the first Chromium on PATH (GitHub's runners ship Google Chrome), else
# where Debian's package puts it; whoever launches it checks that it exists.
CHROMIUM = (
    os.environ.get("CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("google-chrome")
    or "/usr/bin/chromium"
)
# No sandbox (CI and containers run as root); no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def site_pages(site: Path) -> list[str]:
    """URL paths of every page of the built site."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        pages.append("/" if relative == "." else f"/{relative}/")
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the files without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """Serves ``site`` on a free localhost port during the block; yields its origin."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
