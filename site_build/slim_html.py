"""Make pages lighter without changing what a reader sees, copies or searches.

* Pygments wraps every name and every run of spaces in a ``<span>`` of its own;
  Material colours names with the code's own foreground colour
  (``--md-code-hl-name-color: var(--md-code-fg-color)``), so those spans change
  nothing on screen and are a quarter of a code-heavy page.
* Whitespace between tags (outside ``<pre>``, where it is content) is dropped.
"""

from __future__ import annotations

import re

_INVISIBLE_SPANS = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')
_PRESERVED = re.compile(
    r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.DOTALL
)
_BETWEEN_TAGS = re.compile(r">\s+<")


def slim_html(html: str) -> str:
    html = _INVISIBLE_SPANS.sub(r"\1", html)
    parts = _PRESERVED.split(html)
    for index in range(
        0, len(parts), 2
    ):  # even parts lie outside <pre>, <textarea> and <script>
        parts[index] = _BETWEEN_TAGS.sub("> <", parts[index])
    return "".join(parts)
