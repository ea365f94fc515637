"""Inline suppression comments.

``<!-- linklint-disable LL004 -->`` turns rules off from its line on,
``<!-- linklint-enable LL004 -->`` back on; ``-disable-line`` covers the comment's
own line, ``-disable-next-line`` the line after it, ``-disable-file`` the whole
file. With no code the directive covers every rule. Rules may be named by code or
by name. A finding that spans several lines is suppressed by its first line.
"""

from __future__ import annotations

from typing import Callable, Iterable

from linklint.model import Directive

ALL = "*"


class Suppressions:
    def __init__(self, directives: Iterable[Directive], resolve: Callable[[str], str | None]) -> None:
        self.file: set[str] = set()
        self.lines: dict[int, set[str]] = {}
        # Per rule: sorted (line, disabled?) switches from disable/enable.
        self.switches: dict[str, list[tuple[int, bool]]] = {}
        self.unknown: list[tuple[Directive, str]] = []
        for directive in sorted(directives, key=lambda d: d.line):
            codes = self._codes(directive, resolve)
            if directive.action == "disable-file":
                self.file.update(codes)
            elif directive.action == "disable-line":
                self.lines.setdefault(directive.line, set()).update(codes)
            elif directive.action == "disable-next-line":
                self.lines.setdefault(directive.line + 1, set()).update(codes)
            elif directive.action in ("disable", "enable"):
                for code in codes:
                    self.switches.setdefault(code, []).append((directive.line, directive.action == "disable"))

    def _codes(self, directive: Directive, resolve: Callable[[str], str | None]) -> set[str]:
        if not directive.codes:
            return {ALL}
        codes = set()
        for word in directive.codes:
            code = resolve(word)
            if code is None:
                self.unknown.append((directive, word))
            else:
                codes.add(code)
        return codes

    def suppressed(self, code: str, line: int) -> bool:
        if code in self.file or ALL in self.file:
            return True
        on_line = self.lines.get(line)
        if on_line and (code in on_line or ALL in on_line):
            return True
        # The last disable/enable at or above the line wins, whether it named
        # this rule or all rules.
        switches = sorted(self.switches.get(code, []) + self.switches.get(ALL, []), key=lambda s: s[0])
        state = False
        for switch_line, disabled in switches:
            if switch_line > line:
                break
            state = disabled
        return state
