"""Generator profiles: how a site generator turns files into URLs and links into targets.

A profile answers three questions for the site model:

* which public URL paths a page is served at (``page_urls``),
* how a link destination written in a page maps to a file of the repository
  (``resolve``), and
* which slug algorithm turns headings into fragment ids (``slugger``).

``base.Profile`` is the plain Git repository, rendered the way GitHub renders it.
A generator such as Hugo or Jekyll is a subclass that overrides what differs and
is registered in ``PROFILES`` with a ``detect`` test on the repository's files.
"""

from __future__ import annotations

from linklint.sites.base import Profile, Status, Target

PROFILES: dict[str, type[Profile]] = {"plain": Profile}
PROFILE_NAMES = tuple(PROFILES)


def detect(files: set[str]) -> str:
    """The profile for a repository, judged from its own config files. Only the
    plain profile exists so far, so every repository is plain."""
    return "plain"


__all__ = ["PROFILES", "PROFILE_NAMES", "Profile", "Status", "Target", "detect"]
