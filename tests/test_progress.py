from __future__ import annotations

import io

from linklint import progress
from linklint.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shown_only_on_a_terminal() -> None:
    assert Progress.wanted(Terminal()) is True
    assert Progress.wanted(io.StringIO()) is False


def test_draws_after_the_delay_and_clears_itself(monkeypatch) -> None:
    clock = iter([0.0, 0.1, 1.0, 1.05, 2.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    out = Terminal()
    bar = Progress(10, stream=out)  # started at 0.0
    bar.advance(1)  # 0.1: too early to show
    assert out.getvalue() == ""
    bar.advance(4)  # 1.0: drawn
    bar.advance(1)  # 1.05: too soon to redraw
    bar.advance(4)  # 2.0: drawn
    bar.close()
    frames = out.getvalue().split("\r")[1:]
    assert frames[0] == "linklint [###############---------------] 5/10 pages"
    assert frames[1] == "linklint [##############################] 10/10 pages"
    assert frames[2].strip() == "" and frames[3] == ""


def test_a_short_run_writes_nothing(monkeypatch) -> None:
    monkeypatch.setattr(progress.time, "monotonic", lambda: 0.0)
    out = Terminal()
    bar = Progress(3, stream=out)
    bar.advance(3)
    bar.close()
    assert out.getvalue() == ""
