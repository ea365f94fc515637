"""Sorting helpers for NumPy arrays of small non-negative integers."""

from __future__ import annotations

import numpy as np

__all__ = ["stable_order"]


def stable_order(keys: np.ndarray, bound: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for keys in ``[0, bound)``, by
    16-bit keys: numpy sorts those by radix, in linear time (2.5 million term
    ids at 50,000 posts: 0.17 s as 64-bit keys, 0.014 s as 16-bit ones). Past
    2^16 terms, by the low 16 bits and then, stably, by the high ones."""
    if bound <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    if bound > 1 << 32:
        return np.argsort(keys, kind="stable")
    by_low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    return by_low[np.argsort((keys[by_low] >> 16).astype(np.uint16), kind="stable")]
