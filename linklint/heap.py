"""Keeping Python's cycle collector out of the way of a run's big data.

A run loads a whole site (hundreds of thousands of small objects: links,
spans, headings) and keeps all of it to the end. The cycle collector does not
know that: while the site is loaded it walks the growing heap again and again,
which measured 2 to 4 times the cost of the unpickling itself on a
10,000-page site. None of those objects form garbage cycles, so the collector
is paused while they are made, and once they are made they are *frozen*
(``gc.freeze``): later collections skip them. The rules (their caches, the
relevance index, inbound edges: about a second of collecting at 10,000
posts) and printing a report run with it paused as well.

Frozen objects are still freed by reference counting; only cyclic garbage
that existed at the moment of freezing waits until ``frozen_until_done`` ends."""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

__all__ = ["collector_paused", "frozen_until_done", "no_collection"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside the block; what it made is frozen after it."""
    with no_collection():
        try:
            yield
        finally:
            gc.freeze()


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No cycle collection inside the block, for work that makes many objects
    and no garbage cycles (printing a report: a collection would walk the
    whole site again for each few hundred violations printed)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def frozen_until_done() -> Iterator[None]:
    """Objects frozen inside the block go back to the collector at its end,
    unless they were frozen before it began (by an enclosing block)."""
    outermost = gc.get_freeze_count() == 0
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()
