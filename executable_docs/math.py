"""Formulas rendered to MathML at build time: no script, no web font, no request to a CDN.

pymdownx.arithmatex (``generic: true``) marks ``$...$`` and ``$$...$$`` in pages;
nbconvert leaves the same delimiters in notebook cells. Both become MathML,
which browsers render natively, with the TeX source kept as ``alttext``.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

# arithmatex's generic output: \( \) inline in a span, \[ \] in a div.
_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*\\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]\s*</(?P=tag)>', re.S
)
# Dollar delimiters in notebook HTML; never inside <pre> or <code> (split out below).
_DISPLAY_DOLLARS = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.S)
_INLINE_DOLLARS = re.compile(r"(?<![\\$\w])\$(?P<tex>(?:[^$\n]|\n(?!\n))+?)\$(?![\w$])")  # within a paragraph
_CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.S)


class MathError(ValueError):
    """A formula latex2mathml cannot render."""


def to_mathml(tex: str, display: bool) -> str:
    tex = html.unescape(tex).strip()
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many types for unsupported TeX
        raise MathError(f"cannot render the formula {tex!r}: {error}") from None
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


def render_arithmatex(page_html: str) -> str:
    return _ARITHMATEX.sub(lambda m: to_mathml(m["tex"], display=m["open"] == "["), page_html)


def render_dollars(page_html: str) -> str:
    parts = _CODE.split(page_html)
    for index in range(0, len(parts), 2):  # even parts are outside <pre>/<code>
        text = _DISPLAY_DOLLARS.sub(lambda m: to_mathml(m["tex"], display=True), parts[index])
        parts[index] = _INLINE_DOLLARS.sub(lambda m: to_mathml(m["tex"], display=False), text)
    return "".join(parts)
