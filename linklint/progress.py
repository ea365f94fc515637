"""A progress bar on standard error for long runs, shown only on a terminal, so
logs, pipes and CI output never get control characters."""

from __future__ import annotations

import sys
import time
from typing import TextIO

# Runs shorter than this never show a bar: it would only flicker.
SHOW_AFTER_SECONDS = 0.5
_REDRAW_SECONDS = 0.1
_WIDTH = 30


class Progress:
    def __init__(self, total: int, label: str = "pages", stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.visible = False

    @staticmethod
    def wanted(stream: TextIO | None = None) -> bool:
        stream = stream if stream is not None else sys.stderr
        return bool(getattr(stream, "isatty", lambda: False)())

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.started < SHOW_AFTER_SECONDS or now - self.drawn_at < _REDRAW_SECONDS:
            return
        self.drawn_at = now
        self.visible = True
        filled = int(_WIDTH * self.done / self.total) if self.total else _WIDTH
        bar = "#" * filled + "-" * (_WIDTH - filled)
        self.stream.write(f"\rlinklint [{bar}] {self.done}/{self.total} {self.label}")
        self.stream.flush()

    def close(self) -> None:
        if self.visible:
            self.stream.write("\r" + " " * (_WIDTH + 40 + len(self.label)) + "\r")
            self.stream.flush()
