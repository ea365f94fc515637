"""Bytes to text: UTF-8 only, with a byte-order mark removed and remembered."""

from __future__ import annotations

from linklint.model import Problem
from linklint.textpos import LineIndex

BOM = b"\xef\xbb\xbf"
# Git's own test for binary content: a NUL byte near the start.
_SNIFF = 8192


def decode(data: bytes) -> tuple[str, bool] | Problem:
    """``(text, had_bom)``, or an LL901 problem for binary or non-UTF-8 data."""
    if b"\0" in data[:_SNIFF]:
        return Problem("LL901", "binary file, not Markdown; not checked")
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    try:
        return body.decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode("utf-8")
        line, column = LineIndex(good).position(len(good))
        byte = body[exc.start]
        return Problem(
            "LL901",
            f"invalid UTF-8 at line {line}, column {column} (byte 0x{byte:02x}); not checked",
            line,
            column,
        )
