"""Bytes to text: UTF-8 with the byte-order mark remembered, binary and
invalid UTF-8 reported with their position."""

from __future__ import annotations

import pytest

from linklint.decode import decode
from linklint.model import Problem


def test_utf8_text_is_kept_exactly() -> None:
    assert decode("# Café\r\n\rsoil 🌱\n".encode()) == ("# Café\r\n\rsoil 🌱\n", False)


def test_a_leading_bom_is_removed_and_remembered() -> None:
    assert decode(b"\xef\xbb\xbf# T\n") == ("# T\n", True)
    assert decode(b"\xef\xbb\xbf") == ("", True)
    # Only a leading BOM is one: a later U+FEFF is text.
    assert decode("a\ufeffb".encode()) == ("a\ufeffb", False)


def test_empty_data_is_empty_text() -> None:
    assert decode(b"") == ("", False)


def test_a_nul_byte_near_the_start_means_binary() -> None:
    assert decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == Problem("LL901", "binary file, not Markdown; not checked", 1, 1)
    assert decode(b"x" * 8191 + b"\x00") == Problem("LL901", "binary file, not Markdown; not checked", 1, 1)


def test_a_nul_byte_after_the_first_8_kib_is_text() -> None:
    data = b"x" * 8192 + b"\x00y"
    assert decode(data) == ("x" * 8192 + "\x00y", False)


@pytest.mark.parametrize(
    ("data", "line", "column", "byte"),
    [
        (b"caf\xe9\n", 1, 4, "e9"),
        # Every line ending counts: \r\n, a bare \r and \n.
        (b"ab\r\ncd\rx\nyz\xff", 4, 3, "ff"),
        # Columns count code points, not bytes.
        ("é€🌱".encode() + b"\x80", 1, 4, "80"),
        # A sequence cut short at the end of the file.
        (b"ok\n\xe2\x82", 2, 1, "e2"),
        # Positions are in the text without its BOM.
        (b"\xef\xbb\xbfab\xc3(", 1, 3, "c3"),
    ],
)
def test_invalid_utf8_names_line_column_and_byte(data: bytes, line: int, column: int, byte: str) -> None:
    assert decode(data) == Problem(
        "LL901", f"invalid UTF-8 at line {line}, column {column} (byte 0x{byte}); not checked", line, column
    )
