"""The rule registry: an explicit list, in code order, so what runs is visible
here rather than discovered by magic."""

from __future__ import annotations

from types import ModuleType

from linklint.rules import (
    anchor_text_variety,
    broken_anchor,
    broken_link,
    generic_anchor_text,
    invalid_front_matter,
    landing_page_link,
    min_internal_links,
    orphan_page,
    unreadable_file,
)

RULES: dict[str, ModuleType] = {
    module.CODE: module
    for module in (
        min_internal_links,
        landing_page_link,
        broken_link,
        broken_anchor,
        anchor_text_variety,
        generic_anchor_text,
        orphan_page,
        unreadable_file,
        invalid_front_matter,
    )
}

BY_NAME: dict[str, str] = {module.NAME: code for code, module in RULES.items()}


def lookup(code_or_name: str) -> ModuleType | None:
    """A rule by its code (`LL003`, any case) or its name (`broken-link`)."""
    key = code_or_name.strip()
    return RULES.get(key.upper()) or RULES.get(BY_NAME.get(key.lower(), ""))


def specs():
    """The rules as the config loader sees them."""
    from linklint.config import RuleSpec

    return [RuleSpec(m.CODE, m.NAME, m.LEVEL, m.OPTIONS) for m in RULES.values()]
