"""Python source read once: segments of AST nodes, and comments.

``ast.get_source_segment`` splits the whole source again on every call; a
site's generated pages can ask for hundreds of segments.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import NamedTuple


def end_line(node: ast.stmt | ast.expr) -> int:
    """The 1-based last line of ``node`` (its first when the parser recorded no end)."""
    return node.end_lineno or node.lineno


def source_segment(lines: list[str], node: ast.stmt | ast.expr) -> str:
    """The source of ``node`` (columns are UTF-8 byte offsets, as ast gives them)."""
    first, last = node.lineno - 1, end_line(node) - 1
    encoded = [line.encode() for line in lines[first : last + 1]]
    if first == last:
        return encoded[0][node.col_offset : node.end_col_offset].decode()
    parts = [
        encoded[0][node.col_offset :],
        *encoded[1:-1],
        encoded[-1][: node.end_col_offset],
    ]
    return "\n".join(part.decode() for part in parts)


class Comment(NamedTuple):
    line: int  # 1-based
    column: int
    text: str  # from the '#' on
    alone: bool  # nothing but indentation before it on its line


def comments(code: str) -> list[Comment]:
    """Every comment of ``code``, found by the tokenizer (so never one inside a string).

    Raises tokenize.TokenError or SyntaxError for code the tokenizer cannot read.
    """
    return [
        Comment(
            token.start[0],
            token.start[1],
            token.string,
            not token.line[: token.start[1]].strip(),
        )
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type == tokenize.COMMENT
    ]
