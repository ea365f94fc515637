"""Installed versions of the packages linklint's answers depend on, read
without importing them (spaCy takes half a second to import)."""

from __future__ import annotations

import os
import re
import sys


def installed_version(name: str) -> str | None:
    """The installed version of a distribution: from the name of its
    ``.dist-info`` folder on ``sys.path`` (what pip installs), else from
    ``importlib.metadata``, whose import (email parsing and more) is 15 ms of
    a pre-commit run."""
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for found in names:
            stem, dot, kind = found.rpartition(".")
            dist, dash, version = stem.partition("-")
            if dot and dash and kind == "dist-info" and re.sub(r"[-_.]+", "_", dist).lower() == wanted:
                return version
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
