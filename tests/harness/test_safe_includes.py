"""Only files under snippets/ can be included, in the pytest collection and the build.

On main before this, a symlink under snippets/ pointing outside the repository,
--8<-- ".git/config" and --8<-- ".venv/pyvenv.cfg" were published into the page
(pymdownx checks the path as written; base_path "." exposes the whole checkout).
"""

import fnmatch

import pytest

from tests.docs_fixture import fence, mkdocs_build

SECRET = "TOP-SECRET-CONTENT"


def write_outside_files(docs):
    """Files an include must never reach, and a symlink under snippets/ to one outside
    the project."""
    docs.write(".git/config", f"[core]\n# {SECRET}\n")
    docs.write(".venv/pyvenv.cfg", f"home = /usr/bin  # {SECRET}\n")
    docs.write("notes.txt", f"{SECRET}\n")
    outside = docs.root.parent / f"{docs.root.name}-outside.py"
    outside.write_text(f"# {SECRET}\n", encoding="utf-8")
    (docs.root / "snippets").mkdir(exist_ok=True)
    (docs.root / "snippets" / "linked.py").symlink_to(outside)
    docs.snippet("fine.py", "# --8<-- [start:ok]\nvalue = 1\n# --8<-- [end:ok]\n")
    return outside


CASES = {
    "symlink": (
        "snippets/linked.py",
        "'snippets/linked.py' resolves to *outside snippets/ (a symlink)*",
    ),
    "git": (".git/config", "'.git/config' is not under snippets/*"),
    "venv": (".venv/pyvenv.cfg", "'.venv/pyvenv.cfg' is not under snippets/*"),
    "absolute": ("{root}/snippets/fine.py", "* is an absolute path*"),
    "dotdot": ("snippets/../notes.txt", "'snippets/../notes.txt' contains '..'*"),
}


def include_page(docs, case, where):
    spec, _ = CASES[case]
    spec = spec.format(root=docs.root)
    if where == "fence":
        return docs.page(
            "page.md",
            f"# Title\n\n{fence('snippets/fine.py:ok')}\n\n"
            f'``` text\n--8<-- "{spec}"\n```\n',
        )
    return docs.page(
        "page.md",
        f'# Title\n\n{fence("snippets/fine.py:ok")}\n\nProse.\n\n--8<-- "{spec}"\n',
    )


@pytest.mark.parametrize("where", ["fence", "prose"])
@pytest.mark.parametrize("case", CASES)
def test_the_collection_refuses_an_include_outside_snippets(docs, case, where):
    write_outside_files(docs)
    include_page(docs, case, where)
    result = docs.run()
    result.assert_outcomes(errors=1)
    line = 8 if where == "fence" else 9
    result.stdout.fnmatch_lines([f"*docs/page.md:{line}: {CASES[case][1]}"])
    assert SECRET not in result.stdout.str()


@pytest.mark.parametrize("case", CASES)
def test_the_build_refuses_an_include_outside_snippets(docs, case):
    write_outside_files(docs)
    include_page(docs, case, "prose")
    build = mkdocs_build(docs.root)
    assert build.returncode != 0
    pattern = f"*docs/page.md:9: {CASES[case][1]}"
    assert any(fnmatch.fnmatch(line, pattern) for line in build.stderr.splitlines()), (
        build.stderr
    )
    assert SECRET not in build.stderr
    assert not (docs.root / "site" / "page" / "index.html").exists()


def test_the_build_names_the_source_line_when_a_hook_added_lines_above(docs):
    write_outside_files(docs)
    include_page(docs, "git", "prose")
    docs.write(
        "add_lines.py",
        "def on_page_markdown(markdown, **kwargs):\n"
        "    return 'A\\n\\nB\\n\\n' + markdown\n",
    )
    build = mkdocs_build(docs.root, "add_lines.py")
    assert build.returncode != 0
    assert any(
        fnmatch.fnmatch(line, f"*docs/page.md:9: {CASES['git'][1]}")
        for line in build.stderr.splitlines()
    ), build.stderr


def test_an_include_nested_in_a_snippet_file_is_checked_too(docs):
    write_outside_files(docs)
    docs.snippet(
        "nests.py",
        '# --8<-- [start:part]\nvalue = 1\n# --8<-- [end:part]\n--8<-- ".git/config"\n',
    )
    docs.page("page.md", fence("snippets/nests.py:part") + "\n")
    result = docs.run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*docs/page.md:2, which includes snippets/nests.py:4: '.git/config' is "
                "not under snippets/*"
            )
        ]
    )


def test_block_form_includes_are_checked_too(docs):
    write_outside_files(docs)
    docs.page("page.md", "Text\n\n--8<--\nsnippets/fine.py\n.git/config\n--8<--\n")
    result = docs.run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*docs/page.md:5: '.git/config' is not under snippets/*"]
    )


def test_includes_under_snippets_still_build_and_run(docs):
    write_outside_files(docs)
    docs.page("page.md", fence("snippets/fine.py:ok") + "\n")
    docs.run().assert_outcomes(passed=1)
    build = mkdocs_build(docs.root)
    assert build.returncode == 0, build.stderr
    assert "value" in (docs.root / "site" / "page" / "index.html").read_text()


def test_the_markdown_extension_guards_every_include_pymdownx_expands(tmp_path):
    """The guard mkdocs.yml registers before pymdownx.snippets, run by Markdown on its
    own (no page known)."""
    import markdown

    from executable_docs.safe_includes import IncludeError

    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(SECRET)
    md = markdown.Markdown(
        extensions=["executable_docs.safe_includes", "pymdownx.snippets"],
        extension_configs={
            "executable_docs.safe_includes": {"root": str(tmp_path)},
            "pymdownx.snippets": {"base_path": [str(tmp_path)]},
        },
    )
    with pytest.raises(
        IncludeError,
        match=r"line 3 of the page's Markdown: '.git/config' is not under snippets/",
    ):
        md.convert('Text\n\n--8<-- ".git/config"\n')


def test_mkdocs_yml_registers_the_guard_before_pymdownx_snippets():
    from mkdocs.utils.yaml import yaml_load

    from tests.conftest import ROOT

    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    names = [
        next(iter(entry)) if isinstance(entry, dict) else entry
        for entry in config["markdown_extensions"]
    ]
    assert names.index("executable_docs.safe_includes") < names.index(
        "pymdownx.snippets"
    )


MAPPING = f"""\
# --8<-- [start:rows]
# R: secret <- "{SECRET}"
secret = 1
# --8<-- [end:rows]
"""


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("../outside.py", "'../outside.py' contains '..'*"),
        ("notes.py", "'notes.py' is not under snippets/*"),
        ("snippets/linked.py", "'snippets/linked.py' resolves to *outside snippets/*"),
    ],
)
def test_an_r_mapping_marker_reads_only_files_under_snippets(
    tmp_path, written, problem
):
    """Issue 20, escape 8: the marker published the comments of any file it named."""
    from executable_docs.project import load_project
    from executable_docs.safe_includes import IncludeError
    from site_build.generated_markdown import expand_markers

    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "snippets").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.snippets\n", encoding="utf-8"
    )
    for outside in (tmp_path / "outside.py", root / "notes.py"):
        outside.write_text(MAPPING, encoding="utf-8")
    (root / "snippets" / "linked.py").symlink_to(tmp_path / "outside.py")
    (root / "snippets" / "mapping.py").write_text(MAPPING, encoding="utf-8")
    project = load_project(root / "mkdocs.yml")
    page = root / "docs" / "page.md"
    shown = expand_markers(
        "<!-- r-mapping: snippets/mapping.py:rows -->\n", project, list, page
    )
    assert SECRET in shown  # a file under snippets/ makes its table
    with pytest.raises(IncludeError) as error:
        expand_markers(
            f"Text\n\n<!-- r-mapping: {written}:rows -->\n", project, list, page
        )
    assert fnmatch.fnmatch(
        str(error.value), f"docs/page.md:3: r-mapping marker: {problem}"
    )
