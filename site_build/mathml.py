"""Formulas rendered to MathML at build time: no script, no web font, no CDN request.

pymdownx.arithmatex (``generic: true``) marks ``$...$`` and ``$$...$$`` in pages;
nbconvert leaves the same delimiters in notebook cells. Both become MathML,
which browsers render natively, with the TeX source kept as ``alttext``.

latex2mathml renders what it does not know as the text ``\\farc`` and
tolerates unbalanced braces, so every formula is checked first: an unknown
macro (``\\farc``, ``\\lamda``) or a syntax error (unbalanced ``{}``,
``\\left`` without ``\\right``, ``\\begin`` without ``\\end``) fails. The
build's hook (site_build.build_checks) checks each page's formulas with
``formulas_in_markdown`` first, so the error names the page, line and formula.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

from executable_docs.markdown_blocks import fenced_lines

# arithmatex's generic output: \( \) inline in a span, \[ \] in a div.
_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"\\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]"
    r"\s*</(?P=tag)>",
    re.DOTALL,
)
# Dollar delimiters in notebook HTML; never inside <pre> or <code> (split out below).
_DISPLAY_DOLLARS = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)
_INLINE_DOLLARS = re.compile(
    r"(?<![\\$\w])\$(?P<tex>(?:[^$\n]|\n(?!\n))+?)\$(?![\w$])"
)  # within a paragraph
_CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.DOTALL)
# A display formula may scroll sideways on a narrow screen
# (docs/stylesheets/theme.css): keyboard users too.
_DISPLAY_MATH = re.compile(r'(<math\b[^>]*\bdisplay="block")(?![^>]*\btabindex=)')


# A command latex2mathml did not understand stays in its output as text.
_UNRENDERED_MACRO = re.compile(r"\\[A-Za-z]+")
_BRACE = re.compile(r"(?<!\\)(?:\\\\)*([{}])")
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^}]*)\}")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)


class MathError(ValueError):
    """A formula latex2mathml cannot render, or would render wrongly."""


def _syntax_problem(tex: str) -> str | None:
    depth = 0
    for match in _BRACE.finditer(tex):
        depth += 1 if match[1] == "{" else -1
        if depth < 0:
            return "a '}' closes no '{'"
    if depth:
        return f"{depth} '{{' never closed"
    lefts, rights = (
        len(re.findall(r"\\left\b", tex)),
        len(re.findall(r"\\right\b", tex)),
    )
    if lefts != rights:
        return f"{lefts} \\left but {rights} \\right"
    open_environments: list[str] = []
    for kind, name in _ENVIRONMENT.findall(tex):
        if kind == "begin":
            open_environments.append(name)
        elif not open_environments or open_environments.pop() != name:
            return f"\\end{{{name}}} closes no \\begin{{{name}}}"
    if open_environments:
        return f"\\begin{{{open_environments[-1]}}} never ended"
    return None


def to_mathml(tex: str, display: bool) -> str:
    tex = html.unescape(tex).strip()
    problem = _syntax_problem(tex)
    if problem:
        raise MathError(f"TeX syntax error in the formula '{tex}': {problem}")
    try:
        mathml = convert(tex, display="block" if display else "inline")
    # latex2mathml's own exceptions share no base class but Exception, and its
    # parser leaks built-ins on malformed TeX (StopIteration for a lone "\\text"):
    # whatever it raises, this formula cannot be rendered.
    except Exception as error:  # noqa: BLE001 - why: the comment above
        raise MathError(f"cannot render the formula '{tex}': {error}") from None
    unknown = _UNRENDERED_MACRO.search(re.sub(r"<[^>]*>", " ", mathml))
    if unknown:
        raise MathError(f"unknown TeX macro {unknown[0]} in the formula '{tex}'")
    return mathml.replace(
        "<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1
    )


def formulas_in_markdown(text: str) -> list[tuple[int, str, bool]]:
    """(1-based line, TeX, display) of each ``$...$`` and ``$$...$$`` of a page.

    Only in the page's Markdown prose: code blocks and code spans are skipped.
    """
    lines = text.split("\n")
    lines = [
        "" if fenced else line for line, fenced in zip(lines, fenced_lines(lines))
    ]  # keeps line numbers
    prose = _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), "\n".join(lines))
    found = []
    for pattern, display in ((_DISPLAY_DOLLARS, True), (_INLINE_DOLLARS, False)):
        for match in pattern.finditer(prose):
            found.append(
                (prose.count("\n", 0, match.start()) + 1, match["tex"], display)
            )
        prose = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), prose)
    return sorted(found)


def check_formulas(text: str, where: str) -> None:
    """Raise MathError for the first formula that fails, naming ``where`` and line."""
    for line, tex, display in formulas_in_markdown(text):
        try:
            to_mathml(tex, display)
        except MathError as error:
            raise MathError(f"{where}:{line}: {error}") from None


def _focusable(page_html: str) -> str:
    return _DISPLAY_MATH.sub(r'\1 tabindex="0"', page_html)


def render_arithmatex(page_html: str) -> str:
    return _focusable(
        _ARITHMATEX.sub(
            lambda m: to_mathml(m["tex"], display=m["open"] == "["), page_html
        )
    )


def render_dollars(page_html: str) -> str:
    parts = _CODE.split(page_html)
    for index in range(0, len(parts), 2):  # even parts are outside <pre>/<code>
        text = _DISPLAY_DOLLARS.sub(
            lambda m: to_mathml(m["tex"], display=True), parts[index]
        )
        parts[index] = _INLINE_DOLLARS.sub(
            lambda m: to_mathml(m["tex"], display=False), text
        )
    return _focusable("".join(parts))
