"""Generator profiles: how a site generator turns files into URLs and links into targets.

A profile answers three questions for the site model:

* which public URL paths a page is served at (``page_urls``),
* how a link destination written in a page maps to a file of the repository
  (``resolve``), and
* which slug algorithm turns headings into fragment ids (``slugger``,
  ``heading_ids``).

``base.Profile`` is the plain Git repository, rendered the way GitHub renders it.
Each generator is a subclass in its own module, registered in ``PROFILES`` and
detected from the repository's own config files (``detect``).
"""

from __future__ import annotations

from pathlib import Path

from linklint.sites.base import Profile, Status, Target
from linklint.sites.docfx import DocfxProfile
from linklint.sites.docusaurus import DocusaurusProfile
from linklint.sites.eleventy import EleventyProfile
from linklint.sites.astro import AstroProfile
from linklint.sites.generator import GeneratorProfile
from linklint.sites.hugo import HugoProfile
from linklint.sites.jekyll import JekyllProfile
from linklint.sites.mdbook import MdbookProfile
from linklint.sites.mkdocs import MkdocsProfile
from linklint.sites.zola import ZolaProfile

# In the order `detect` tries them: the most specific config files first (a
# Docusaurus or MkDocs repository may also hold a `_config.yml`), Zola before
# Hugo since both may use `config.toml`.
_DETECTION: tuple[type[GeneratorProfile], ...] = (
    MdbookProfile,
    DocfxProfile,
    MkdocsProfile,
    DocusaurusProfile,
    AstroProfile,
    EleventyProfile,
    ZolaProfile,
    HugoProfile,
    JekyllProfile,
)

PROFILES: dict[str, type[Profile]] = {"plain": Profile}
for _profile in sorted(_DETECTION, key=lambda p: p.name):
    PROFILES[_profile.name] = _profile
PROFILE_NAMES = tuple(PROFILES)


def detect(files: set[str], content: str = ".", root: Path | None = None) -> str:
    """The profile for a repository, judged from its own config files: at the
    repository root first, then in linklint's content folder. ``root`` lets a
    profile look inside an ambiguous file (``config.toml``: Zola or Hugo)."""
    bases = [""]
    content = content.strip("/")
    if content not in ("", "."):
        bases.append(content + "/")
    for base in bases:
        for profile in _DETECTION:
            if profile.detect(files, base, root):
                return profile.name
    return "plain"


__all__ = ["PROFILES", "PROFILE_NAMES", "Profile", "Status", "Target", "detect"]
