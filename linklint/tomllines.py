"""Where each key of a TOML table is written.

tomllib keeps no positions, but a configuration error is only useful with a
line number; this walks a TOML text that tomllib has already accepted just far
enough to know which key each line defines.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

KeyPath = tuple  # a key and its parents, outermost first: ("rules", "LL001", "min")

class TomlKeyLines:
    """The line of each key and array item under ``[tool.linklint]`` in a TOML
    text that tomllib has already accepted. tomllib keeps no positions, so this
    walks the text just far enough to know which key each line defines; if it
    ever loses its way, the lines found so far are kept and messages fall back
    to the enclosing key's line or to none."""

    _BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
    _SCALAR = re.compile(r"[^,\]}\n#]*")
    _ROOT = ("tool", "linklint")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.breaks = [i for i, char in enumerate(text) if char == "\n"]
        self.lines: dict[KeyPath, int] = {}
        # Array-of-tables header -> index of its element being defined.
        self.arrays: dict[KeyPath, int] = {}

    def scan(self) -> dict[KeyPath, int]:
        try:
            self._document()
        except (IndexError, ValueError):
            pass
        return self.lines

    def _document(self) -> None:
        text = self.text
        table: KeyPath = ()
        while True:
            self._skip(newlines=True)
            if self.pos >= len(text):
                return
            start = self.pos
            if text.startswith("[[", self.pos):
                self.pos += 2
                table = self._header(self._key(), start, array=True)
                self._expect("]]")
            elif text[self.pos] == "[":
                self.pos += 1
                table = self._header(self._key(), start, array=False)
                self._expect("]")
            else:
                keypath = table + self._key()
                self._expect("=")
                self._record(keypath, start)
                self._skip()
                self._value(keypath)

    def _header(self, parts: KeyPath, start: int, *, array: bool) -> KeyPath:
        if array:
            self.arrays[parts] = self.arrays.get(parts, -1) + 1
            for nested in [k for k in self.arrays if len(k) > len(parts) and k[: len(parts)] == parts]:
                del self.arrays[nested]
        path: list[Any] = []
        for i, part in enumerate(parts):
            path.append(part)
            index = self.arrays.get(parts[: i + 1])
            if index is not None:
                path.append(index)
        self._record(tuple(path), start)
        return tuple(path)

    def _value(self, keypath: KeyPath) -> None:
        char = self.text[self.pos]
        if char in "\"'":
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while not self._close("]"):
                self._record(keypath + (index,), self.pos)
                self._value(keypath + (index,))
                index += 1
        elif char == "{":
            self.pos += 1
            while not self._close("}"):
                start = self.pos
                inner = keypath + self._key()
                self._expect("=")
                self._record(inner, start)
                self._skip()
                self._value(inner)
        else:
            match = self._SCALAR.match(self.text, self.pos)
            assert match is not None  # the pattern matches the empty string
            if match.end() == self.pos:
                raise ValueError("empty value")
            self.pos = match.end()

    def _close(self, bracket: str) -> bool:
        """Step over a separating comma; True at (and past) the closing bracket."""
        self._skip(newlines=True)
        if self.text[self.pos] == ",":
            self.pos += 1
            self._skip(newlines=True)
        if self.text[self.pos] == bracket:
            self.pos += 1
            return True
        return False

    def _key(self) -> KeyPath:
        parts = []
        while True:
            self._skip()
            start = self.pos
            char = self.text[self.pos]
            if char in "\"'":
                self._string()
                raw = self.text[start : self.pos]
                parts.append(_basic_string(raw) if char == '"' else raw[1:-1])
            else:
                match = self._BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ValueError("not a key")
                parts.append(match.group())
                self.pos = match.end()
            self._skip()
            if self.text[self.pos] != ".":
                return tuple(parts)
            self.pos += 1

    def _string(self) -> None:
        text, start = self.text, self.pos
        for quotes in ('"""', "'''"):
            if text.startswith(quotes, start):
                end = text.index(quotes, start + 3)
                while quotes == '"""' and _escaped(text, end):
                    end = text.index(quotes, end + 1)
                end += 3
                # Up to two more quotes belong to the string (`"""a""""` ends in `a"`).
                for _ in range(2):
                    if end < len(text) and text[end] == quotes[0]:
                        end += 1
                self.pos = end
                return
        quote = text[start]
        end = start + 1
        while text[end] != quote:
            end += 2 if quote == '"' and text[end] == "\\" else 1
        self.pos = end + 1

    def _skip(self, *, newlines: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _expect(self, token: str) -> None:
        self._skip()
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token}")
        self.pos += len(token)

    def _record(self, keypath: KeyPath, pos: int) -> None:
        if keypath[:2] != self._ROOT:
            return
        rel = keypath[2:]
        line = bisect_left(self.breaks, pos) + 1
        # Dotted keys and table headers also give their parents a line.
        for size in range(len(rel) + 1):
            self.lines.setdefault(rel[:size], line)


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _basic_string(raw: str) -> str:
    """The value of a double-quoted TOML key, escapes and all (TOML's escapes
    are not JSON's: ``\\UXXXXXXXX``, ``\\e``), read by the TOML parser itself."""
    from linklint.lazy import tomllib

    (key,) = tomllib().loads(f"{raw} = 0")
    return key
