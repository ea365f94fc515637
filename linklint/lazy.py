"""Modules imported on first use.

A warm check or a pre-commit run on a plain repository reads no TOML and no
generator config, and each import is milliseconds of a run that takes a tenth
of a second (``python -X importtime -m linklint check``).
"""

from __future__ import annotations

import sys
from types import ModuleType


def tomllib() -> ModuleType:
    """The standard library's TOML reader (``tomli`` before Python 3.11)."""
    if sys.version_info >= (3, 11):
        import tomllib as module
    else:  # pragma: no cover - Python 3.10
        import tomli as module
    return module
