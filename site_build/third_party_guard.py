"""mkdocs hook: the build fails if the site would make a browser contact another host.

After the build, every file written to ``site/`` is read (no network is used):

* HTML (pages, notebooks, 404): every attribute that makes a browser load
  something — ``<script src>``, ``<link href>`` (stylesheet, icon, preload,
  preconnect...: every ``rel`` except those that only describe, such as
  ``canonical``), ``<img src/srcset>``, ``<source>``, ``<iframe>``, ``<embed>``,
  ``<object data>``, ``<video>``/``<audio>``/``<track>``, ``<input type=image>``,
  SVG ``<image>``/``<use>`` ``href`` — plus ``url(...)`` and ``@import`` in
  ``<style>`` elements and ``style=`` attributes. Links in ``<a href>`` are fine: a
  reader chooses to follow them.
* CSS and SVG files: ``url(...)`` and ``@import``.
* JavaScript files: string literals naming a script, style sheet, JSON or font on
  another host (the same pattern Material's privacy plugin looks for).

A URL is external when it is absolute (``https://``, ``http://`` or ``//``) and its
host is not the host of ``site_url``. The error names each page (its source file)
and URL.

Material's privacy plugin (``assets_fetch: false``) warns about external assets
too, but it scans ``<img>``, ``<script>`` and ``<link>`` only (no iframe, srcset,
inline style), and it flags the two libraries Material's bundle loads only on
demand (below).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

# Loaded by Material's bundle only when a page needs them; the site has no such page
# (checked below).
ON_DEMAND = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": (
        'a Mermaid diagram (class="mermaid")'
    ),
}
MERMAID = re.compile(r'class="[^"]*\bmermaid\b')

# <link rel> values that never make the browser fetch the target.
DESCRIPTIVE_RELS = {
    "canonical",
    "alternate",
    "author",
    "license",
    "help",
    "me",
    "next",
    "prev",
    "edit",
    "bookmark",
}
# (tag, attribute) pairs whose URL the browser loads by itself.
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("feimage", "href"),
}
CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^)'"]+)\1\s*\)|@import\s+(['"])(?P<import>[^'"]+)\3""",
    re.IGNORECASE,
)
JS_ASSET = re.compile(
    r"""["'](?P<url>(?:https?:)?//[^"'\s]+\.(?:css|js|mjs|json|woff2?|ttf|otf))["']"""
)

_sources: dict[
    str, str
] = {}  # site path of each page -> its source, recorded in on_post_page


def is_external(url: str, own_host: str | None) -> bool:
    url = url.strip()
    if not re.match(r"(?:https?:)?//", url, re.IGNORECASE):
        return False  # relative, data:, mailto:, fragment...
    return urlsplit(url if "://" in url else "https:" + url).hostname != own_host


def _css_urls(text: str) -> list[str]:
    return [match["url"] or match["import"] for match in CSS_URL.finditer(text)]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in LOADED:
                if name == "srcset":
                    self.urls.extend(
                        part.split()[0] for part in value.split(",") if part.split()
                    )
                else:
                    self.urls.append(value)
            elif name == "style":
                self.urls.extend(_css_urls(value))
        if tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            if not rels or not rels <= DESCRIPTIVE_RELS:
                self.urls.append(values["href"])
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(_css_urls(data))


def external_urls(text: str, kind: str, own_host: str | None) -> list[str]:
    """External URLs a browser would load from a ``kind`` file (html, css, svg, js)."""
    if kind == "html":
        collector = _Collector()
        collector.feed(text)
        collector.close()
        urls = collector.urls
    elif kind in ("css", "svg"):
        urls = _css_urls(text)
        if kind == "svg":
            urls += external_urls(text, "html", own_host)
    elif kind == "js":
        urls = [match["url"] for match in JS_ASSET.finditer(text)]
    else:
        return []
    return list(
        dict.fromkeys(url.strip() for url in urls if is_external(url, own_host))
    )


def scan_site(
    site_dir: Path, own_host: str | None, sources: dict[str, str] | None = None
) -> list[str]:
    """One line per external URL in the built site: where, then the URL.

    Where is the page's source if known, else the built file.
    """
    sources = sources or {}
    problems = []
    mermaid_pages = []
    for path in sorted(site_dir.rglob("*")):
        kind = path.suffix.lstrip(".").lower()
        if not path.is_file() or kind not in ("html", "css", "svg", "js"):
            continue
        relative = path.relative_to(site_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        where = f"{sources[relative]} ({relative})" if relative in sources else relative
        if kind == "html" and MERMAID.search(text):
            mermaid_pages.append(where)
        for url in external_urls(text, kind, own_host):
            if kind == "js" and url in ON_DEMAND:
                continue
            problems.append(f"{where}: {url}")
    for where in mermaid_pages:
        for url, needed_by in ON_DEMAND.items():
            problems.append(f"{where}: {url} (Material loads it for {needed_by})")
    return problems


def on_post_page(output: str, page, config) -> str:
    _sources[page.file.dest_uri] = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    return output


def on_post_build(config) -> None:
    own_host = urlsplit(config.site_url or "").hostname
    problems = scan_site(Path(config.site_dir), own_host, dict(_sources))
    _sources.clear()
    if problems:
        raise PluginError(
            "the built site loads files from other hosts (a reader's browser would "
            "contact them; serve them from the site instead):\n  "
            + "\n  ".join(problems)
        )
