"""Rule reference pages, generated from the rule modules.

The module docstring of each rule is its documentation; this module adds the
facts the code knows (code, name, default level, options and their defaults) so
the page can never disagree with the rule. ``python -m linklint.ruledocs rules``
writes ``rules/LLxxx.md`` and ``rules/README.md``; a test fails when the
committed pages are stale.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from types import ModuleType

# Rules that a reader of one page usually wants next.
SEE_ALSO = {
    "LL001": ("LL002", "LL007"),
    "LL002": ("LL001", "LL005"),
    "LL003": ("LL004", "LL901"),
    "LL004": ("LL003", "LL006"),
    "LL005": ("LL006", "LL002"),
    "LL006": ("LL005", "LL004"),
    "LL007": ("LL001", "LL002"),
    "LL901": ("LL902", "LL003"),
    "LL902": ("LL901", "LL001"),
}


def _format_default(value: object) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, list):
        return "`[]`" if not value else "`[" + ", ".join(map(str, value)) + "]`"
    return f"`{value}`"


def _type_name(option) -> str:
    types = option.type if isinstance(option.type, tuple) else (option.type,)
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list"}
    words = [names.get(t, t.__name__) for t in types]
    if words == ["integer", "number"]:
        words = ["number"]
    text = " or ".join(words)
    if option.item_type is not None:
        text += f" of {names.get(option.item_type, option.item_type.__name__)}s"
    return text


def _options_section(module: ModuleType) -> str:
    if not module.OPTIONS:
        return "## Options\nThis rule has no options; set its level with `rules: {%s: error|warning|off}`.\n" % module.CODE
    rows = ["## Options", "| option | type | default | description |", "|---|---|---|---|"]
    for name, option in module.OPTIONS.items():
        rows.append(f"| `{name}` | {_type_name(option)} | {_format_default(option.default)} | {option.description} |")
    example = ", ".join(f"{name}: {_yaml_value(option.default)}" for name, option in module.OPTIONS.items())
    rows += [
        "",
        "```yaml",
        "# .linklint.yaml",
        "rules:",
        f"  {module.NAME}: {{level: {module.LEVEL}, {example}}}",
        "```",
    ]
    return "\n".join(rows) + "\n"


def _yaml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def rule_page(module: ModuleType) -> str:
    doc = inspect.cleandoc(module.__doc__ or "")
    summary, _, body = doc.partition("\n\n")
    see_also = ", ".join(_page_link(code) for code in SEE_ALSO.get(module.CODE, ()))
    parts = [
        f"# {module.CODE} {module.NAME}",
        "",
        summary.strip(),
        "",
        f"Default level: **{module.LEVEL}**. Scope: {module.SCOPE}.",
        "",
        _with_options(body.strip(), _options_section(module).rstrip()),
        "",
        "## Suppressing it",
        f"On one line: `<!-- linklint-disable-next-line {module.CODE} -->` above it, or"
        f" `<!-- linklint-disable-line {module.CODE} -->` on it. For a whole page:"
        f" `<!-- linklint-disable-file {module.CODE} -->`, or `linklint: {{disable: [{module.CODE}]}}`"
        f" in its front matter. In MDX, a JSX comment: `{{/* linklint-disable-next-line {module.CODE} */}}`.",
        "",
        f"See also {see_also}, and [all rules](README.md).",
        "",
    ]
    return "\n".join(parts)


def _with_options(body: str, options: str) -> str:
    """The options go between "Use instead" and "Fix and suggestions"."""
    marker = "## Fix and suggestions"
    before, found, after = body.partition(marker)
    if not found:
        return body + "\n\n" + options
    return before.rstrip() + "\n\n" + options + "\n\n" + marker + after


def _page_link(code: str) -> str:
    from linklint.rules import RULES

    return f"[{code} {RULES[code].NAME}]({code}.md)"


def index_page() -> str:
    from linklint.rules import RULES

    lines = [
        "# linklint rules",
        "",
        "Each rule has a code, a name (both work in config, `--select`, `--ignore` and",
        "suppression comments), a default level and options. `linklint rule CODE` prints a page.",
        "",
        "| code | name | default level | what it reports |",
        "|---|---|---|---|",
    ]
    for code, module in RULES.items():
        lines.append(f"| [{code}]({code}.md) | `{module.NAME}` | {module.LEVEL} | {module.SUMMARY} |")
    lines.append("")
    return "\n".join(lines)


def expected_pages() -> dict[str, str]:
    from linklint.rules import RULES

    pages = {f"{code}.md": rule_page(module) for code, module in RULES.items()}
    pages["README.md"] = index_page()
    return pages


def write_pages(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in expected_pages().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            changed.append(name)
    return changed


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "rules")
    for name in write_pages(target):
        print(f"wrote {target / name}")
