"""Zensical: MkDocs' rules, configured in ``zensical.toml``.

Zensical (by the authors of Material for MkDocs) builds MkDocs sites and
reads their settings from the ``[project]`` table of ``zensical.toml``:
``docs_dir``, ``site_url``, ``use_directory_urls``, ``exclude_docs``,
``markdown_extensions``, ``plugins`` and the rest mean what they mean in
``mkdocs.yml``, and pages, URLs, links and heading ids follow the MkDocs
profile (see mkdocs). An extension whose name has dots is written as nested
tables (``[project.markdown_extensions.pymdownx.snippets]``) and read as
``pymdownx.snippets``; a ``slugify = {object = "pymdownx.slugs.slugify",
kwds = {…}}`` (the toc's, pymdownx.tabbed's) is mkdocs.yml's
``!!python/object/apply:`` tag. A site with both files is a Zensical site: Zensical
reads ``zensical.toml`` first.
"""

from __future__ import annotations

from typing import Any

from linklint.sites.configfiles import read_toml
from linklint.sites.mkdocs import MkdocsProfile

# Packages whose extensions are named with dots: their tables nest.
_EXTENSION_PACKAGES = ("pymdownx", "markdown", "material", "zensical")


class ZensicalProfile(MkdocsProfile):
    name = "zensical"
    config_names = ("zensical.toml",)

    def read_settings(self) -> dict[str, Any]:
        data = read_toml(self.site_path("zensical.toml")) or {}
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        settings = dict(project)
        extensions = project.get("markdown_extensions")
        if isinstance(extensions, dict):
            settings["markdown_extensions"] = _flattened(extensions)
        return settings


def _flattened(tables: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"pymdownx": {"snippets": {…}}}`` as ``{"pymdownx.snippets": {…}}``;
    the tables of other extensions are their options."""
    out: dict[str, Any] = {}
    for key, value in tables.items():
        name = f"{prefix}{key}"
        package = name.split(".", 1)[0] in _EXTENSION_PACKAGES
        if package and isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            out.update(_flattened(value, name + "."))
        else:
            out[name] = value if isinstance(value, dict) else {}
    return out
