"""Build the site's sources with Zensical and list the generated content it lacks.

``make zensical-check`` (not part of ``make test``): Zensical reads ``mkdocs.yml`` and
runs its Python-Markdown extensions, but not mkdocs hooks or mkdocs plugins such as
mkdocs-jupyter. So this runs, around the Zensical build, what the mkdocs hooks run once
per build: it draws the figures first (site_build.figures.draw_all; the Markdown
extension site_build.generated_markdown reads them), then builds, then adds the
figures' SVG files to the built site (site_build.generated_markdown.figure_files), as
the hook adds them to MkDocs' files. The build uses a copy of ``mkdocs.yml``
(``.zensical-check.yml``, removed after) with ``site_dir`` in ``.zensical-check/``
(Zensical wants both inside the project), run as ``<zensical> build -f <copy>`` from
the project root (``PYTHONPATH`` = root, so the site's extensions import). Then it
checks each thing the MkDocs build generates, marker by marker as
site_build.generated_markdown.find_markers reads them:

* ``{{ torch_version }}`` replaced by the installed torch's version;
* a Specification marker: every asserted behaviour (``# Spec:``) listed;
* an R mapping marker: a table in its place;
* a figure marker: both palettes' SVGs, referenced from the page (with the alt text
  and the caption) at URLs that resolve to the written files;
* notebooks: ``notebooks/<page>/`` rendered and ``downloads/<page>.ipynb`` for each
  page with code;
* formulas as MathML (no ``arithmatex`` spans left for a script that is not loaded);
* includes expanded (no ``--8<--`` left), only from ``snippets/`` (safe_includes ran);
* no asset from another host (site_build.third_party_guard).

Exit status 0 when everything is there, 1 when something is missing (each listed), 2
when Zensical could not be run.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from executable_docs.project import load_project
from site_build.figures import PALETTES, discover, draw_all
from site_build.generated_markdown import (
    TORCH_VERSION,
    figure_files,
    figure_path,
    find_markers,
    torch_version,
)
from site_build.notebooks import notebook_name
from site_build.specification import asserted_behaviours
from site_build.third_party_guard import scan_site

ROOT = Path(__file__).resolve().parents[1]
TAGS = re.compile(r"<[^>]+>")
IMAGE_SOURCES = re.compile(r'<img [^>]*\bsrc="(?P<src>[^"#]+)[^"]*"')


def page_html(site: Path, page: Path, docs: Path) -> tuple[str, str]:
    relative = page.relative_to(docs).with_suffix("")
    path = site / (
        "index.html" if relative.name == "index" else relative / "index.html"
    )
    return path.relative_to(site).as_posix(), path.read_text(
        encoding="utf-8"
    ) if path.exists() else ""


def text_of(markup: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", markup)).split())


def missing_figure(site: Path, built_path: str, built: str, figure) -> str:
    """What the built page lacks of a figure: the caption, and each palette's image at a
    URL that resolves to its file."""
    page_folder = (site / built_path).parent
    images = {
        (page_folder / match["src"]).resolve().relative_to(site.resolve()).as_posix()
        for match in IMAGE_SOURCES.finditer(built)
        if match["src"].endswith(".svg")
        and (page_folder / match["src"]).resolve().is_relative_to(site.resolve())
    }
    for palette in PALETTES:
        path = figure_path(figure.name, palette)
        if path not in images:
            return f"no image {path}"
        if not (site / path).is_file():
            return f"{path} referenced but not written"
    if text_of(figure.caption) not in text_of(built):
        return "no caption"
    return ""


def check(site: Path, root: Path) -> list[str]:
    project = load_project(root / "mkdocs.yml")
    docs = project.docs_dir
    missing: list[str] = []
    torch = torch_version()
    figures = discover(root)
    for page in project.pages():
        source = page.read_text(encoding="utf-8")
        where = f"docs/{page.relative_to(docs).as_posix()}"
        built_path, built = page_html(site, page, docs)
        if not built:
            missing.append(f"{where}: no page {built_path}")
            continue
        if TORCH_VERSION.search(source) and (
            TORCH_VERSION.search(built) or torch not in built
        ):
            missing.append(
                f"{where}: '{{{{ torch_version }}}}' not replaced by {torch}"
            )
        tables = built.count("<table")
        for marker in find_markers(source, where):
            if marker.kind == "specification":
                behaviours = [
                    b for p in project.pages() for b in asserted_behaviours(project, p)
                ]
                page_text = text_of(built)
                listed = sum(
                    text_of(b.description.replace("`", "")) in page_text
                    for b in behaviours
                )
                if listed < len(behaviours):
                    missing.append(
                        f"{where}: {marker.text} lists {listed} of "
                        f"{len(behaviours)} asserted behaviours"
                    )
            elif marker.kind == "upgrade-guide":
                if marker.text in built:
                    missing.append(f"{where}: {marker.text} was not replaced")
            elif marker.kind == "figure":
                problem = (
                    missing_figure(site, built_path, built, figures[marker.figure])
                    if marker.figure in figures
                    else "no such figure"
                )
                if problem:
                    missing.append(f"{where}: {marker.text} has no figure ({problem})")
            elif marker.text in built or tables < 1:
                missing.append(f"{where}: {marker.text} has no table")
            else:
                tables -= 1  # each R mapping marker is one table of the page
        if re.search(r"^ *``` *python", source, re.MULTILINE):
            name = notebook_name(page.relative_to(docs))
            if not (site / "notebooks" / name / "index.html").exists():
                missing.append(f"{where}: no rendered notebook notebooks/{name}/")
            if not (site / "downloads" / f"{name}.ipynb").exists():
                missing.append(f"{where}: no notebook download downloads/{name}.ipynb")
        if 'class="arithmatex"' in built:
            missing.append(
                f"{where}: formulas left as TeX in arithmatex spans "
                "(no MathML; no math script loads)"
            )
        if "--8&lt;--" in built or "--8<--" in built:
            missing.append(f"{where}: an include was not expanded")
    for problem in scan_site(site, urlsplit(project.site_url).hostname):
        missing.append(f"asset from another host: {problem}")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--zensical",
        default="zensical",
        help="the zensical command (installed apart from .venv)",
    )
    parser.add_argument(
        "--lib",
        help="a folder holding the zensical package (pip install --target DIR "
        "--no-deps zensical tomli): run as `python -m zensical` with this interpreter, "
        "so with the site's own Markdown extensions",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the built site in .zensical-check/site",
    )
    args = parser.parse_args(argv)
    python_path = str(ROOT)
    if args.lib:
        command = [sys.executable, "-m", "zensical"]
        python_path = f"{Path(args.lib).resolve()}{os.pathsep}{ROOT}"
    elif shutil.which(args.zensical):
        command = [shutil.which(args.zensical)]
    else:
        print(
            f"zensical-check: no command {args.zensical!r}; install Zensical apart "
            "from .venv and pass "
            "ZENSICAL=/path/to/venv/bin/zensical or ZENSICAL_LIB=<pip --target folder>",
            file=sys.stderr,
        )
        return 2
    # What the mkdocs hooks run before pages render: the figures the extension reads.
    drawn = draw_all(ROOT, torch_version(), progress=print)
    # Zensical wants docs_dir relative to the config file, site_dir inside the project.
    folder = ROOT / ".zensical-check"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    config = ROOT / ".zensical-check.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text + f"\nsite_dir: {folder / 'site'}\n", encoding="utf-8")
    started = time.perf_counter()
    run = subprocess.run(
        [*command, "build", "-f", str(config)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": python_path},
    )
    seconds = time.perf_counter() - started
    config.unlink()
    print(run.stdout + run.stderr, end="")
    if run.returncode != 0 or not (folder / "site" / "index.html").exists():
        print(
            f"zensical-check: the Zensical build failed (exit {run.returncode})",
            file=sys.stderr,
        )
        return 2
    # The files the mkdocs hook adds: the figures' SVGs.
    for figure in drawn.values():
        for path, svg in figure_files(figure).items():
            (folder / "site" / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / "site" / path).write_bytes(svg)
    missing = check(folder / "site", ROOT)
    print(
        f"zensical-check: Zensical built the site in {seconds:.1f} s; "
        f"{len(missing)} generated things missing"
    )
    for line in missing:
        print(f"  {line}")
    if args.keep:
        print(f"zensical-check: site kept in {folder / 'site'}")
    else:
        shutil.rmtree(folder)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
