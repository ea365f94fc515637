"""The rule pages in rules/ are generated from the rule modules and linted by
linklint itself."""

from __future__ import annotations

import re
from pathlib import Path

from linklint.config import load_config
from linklint.engine import check
from linklint.ruledocs import expected_pages
from linklint.rules import RULES, specs
from linklint.sites import PROFILE_NAMES

RULES_DIR = Path(__file__).parents[1] / "rules"

SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Use instead", "## Options", "## Fix and suggestions")


def test_rule_pages_are_up_to_date() -> None:
    expected = expected_pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in RULES_DIR.glob("*.md")}
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, f"run `make rules-docs`: stale {stale}, extra {extra}"


def test_every_page_has_every_section_in_order() -> None:
    for code, module in RULES.items():
        page = expected_pages()[f"{code}.md"]
        positions = [page.find(section) for section in SECTIONS]
        assert -1 not in positions, (code, positions)
        assert positions == sorted(positions), code
        assert page.startswith(f"# {code} {module.NAME}\n")


def test_every_option_is_documented_with_its_default() -> None:
    for code, module in RULES.items():
        page = expected_pages()[f"{code}.md"]
        for name in module.OPTIONS:
            assert re.search(rf"^\| `{name}` \|", page, re.M), (code, name)


def test_linklint_finds_nothing_wrong_in_its_own_rule_pages() -> None:
    config = load_config(RULES_DIR, specs(), profiles=PROFILE_NAMES)
    run = check(RULES_DIR, config)
    assert run.report.files == len(RULES) + 1
    assert [(v.code, v.path, v.span.line, v.message) for v in run.report.violations] == []


def test_generator_reference_is_up_to_date() -> None:
    # docs/generators.md is generated from the profile modules:
    # `python -m linklint.sitedocs docs/generators.md` after changing one.
    from linklint.sitedocs import render

    committed = (Path(__file__).resolve().parents[1] / "docs" / "generators.md").read_text(encoding="utf-8")
    assert committed == render()
