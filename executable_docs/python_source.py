"""Source text of AST nodes, for code split into lines once.

``ast.get_source_segment`` splits the whole source again on every call; the
Specification page and the R mapping tables ask for hundreds of segments.
"""

from __future__ import annotations

import ast


def source_segment(lines: list[str], node: ast.AST) -> str:
    """The source of ``node`` (columns are UTF-8 byte offsets, as the ast module gives them)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    encoded = [line.encode() for line in lines[first : last + 1]]
    if first == last:
        return encoded[0][node.col_offset : node.end_col_offset].decode()
    parts = [encoded[0][node.col_offset :], *encoded[1:-1], encoded[-1][: node.end_col_offset]]
    return "\n".join(part.decode() for part in parts)
