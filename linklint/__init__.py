"""linklint: keep the internal links of a Markdown site healthy before it is published."""

from __future__ import annotations

import os
import sys

__version__ = "0.1.0"


def forget_working_folder() -> None:
    """Take the working folder off the front of ``sys.path``, where ``python
    -m linklint`` (and the GitHub Action's ``-m linklint.action``) puts it.
    linklint runs in the repository it checks: a top-level package of the
    repository's own (``pydantic/``, ``numpy/``) would be imported instead of
    the installed one, and fail or run the repository's code. linklint's own
    modules are found through the package, already imported."""
    if sys.flags.safe_path or not sys.path:
        return
    first = sys.path[0]
    try:
        working = os.getcwd()
    except OSError:
        return
    if first == "" or os.path.abspath(first) == working:
        del sys.path[0]
