"""Properties of `linklint fix` over generated Markdown: a fix changes only what
it must (safe fixes: link destinations; inserted links: the markup around a
phrase of the text), fixing again changes nothing, and the result parses to
the same blocks (and, for safe fixes, the same links)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from linklint.config import load_config
from linklint.decode import BOM
from linklint.document import parse_document
from linklint.engine import Selection
from linklint.fix import apply_edits, block_structure, fix_site, write_changes
from linklint.model import Edit
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES
from tests.site_helpers import write_files

SITE = {
    "guides/guide.md": "---\ntitle: Worm bins\n---\n# Worm bins\n\n## Setup\n\n## Summer Schedule\n\n"
    "Worm bins eat kitchen scraps. Worm bins need shade; worm bins need bedding.\n",
    "pic.png": "png",
}

WORDS = st.sampled_from(
    ["soil", "Café", "naïve", "tomato", "worm", "bins", "worm bins", "kitchen", "scraps", "the", "and", "日本",
     "🌱", "a\tb", "x&amp;y", r"\*", "R&D", "→", "1.", "#", "+", "--"]
)  # fmt: skip

LINKS = st.sampled_from(
    [
        "[{t}](guide.md)",
        "[{t}](./guide.md#setup)",
        "[{t}](/guide.md)",
        "[{t}](guides/guide.md#Summer-Schedule)",
        "[{t}](guides/guide.md#summer_schedule)",
        "[{t}](guides/guide.md#setup)",
        '<a href="guide.md">{t}</a>',
        "[{t}][ref]",
        "![{t}](pic.png)",
        "`[{t}](guide.md)`",
        "[{t}](https://example.org/guide.md)",
        "*{t}*",
        "**{t} {t}**",
    ]
)


# For inserted links: the post mentions the page's title often and links to
# it rarely (any link to it makes an insertion pointless).
PHRASE_WORDS = st.one_of(WORDS, st.just("worm bins"), st.just("Worm Bins"), st.just("kitchen scraps"))
OTHER_LINKS = st.sampled_from(["[{t}](pic.png)", "*{t}*", "`{t}`", "<kbd>{t}</kbd>", "[{t}](https://example.org/)"])


@st.composite
def inline(draw, words=WORDS, links=LINKS) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            parts.append(draw(links).format(t=draw(words)))
        else:
            parts.append(draw(words))
    return " ".join(parts)


@st.composite
def block(draw, words=WORDS, links=LINKS) -> str:
    kind = draw(st.sampled_from(["para", "para", "heading", "list", "quote", "fence", "table", "html"]))
    text = draw(inline(words, links))
    if kind == "para":
        return text + ("\n" + draw(inline(words, links)) if draw(st.booleans()) else "")
    if kind == "heading":
        return "## " + text
    if kind == "list":
        return "- " + text + "\n- " + draw(inline(words, links))
    if kind == "quote":
        return "> " + text
    if kind == "fence":
        return "```\n" + text + "\n```"
    if kind == "table":
        return "| a | b |\n|---|---|\n| " + text.replace("|", "/") + " | c |"
    return "<div>\n" + text + "\n</div>"


@st.composite
def page(draw, words=WORDS, links=LINKS) -> bytes:
    blocks = draw(st.lists(block(words, links), min_size=1, max_size=6))
    text = "\n\n".join(blocks)
    if "[ref]" in text:
        text += "\n\n[ref]: guide.md"
    if draw(st.booleans()):
        text = "---\ntitle: Kitchen scraps\n---\n" + text
    if draw(st.booleans()):
        text += "\n"
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = text.replace("\n", eol).encode("utf-8")
    return (BOM if draw(st.booleans()) else b"") + data


def masked(text: str) -> str:
    """``text`` with every link destination it has replaced by a NUL."""
    doc = parse_document("p.md", text.encode())
    spans = {link.dest_span for link in doc.links if link.dest_span is not None}
    return apply_edits(text, [Edit(span.start, span.end, "\0") for span in spans])


def without_new_links(before: str, after: str) -> str:
    """``after`` with every link it has and ``before`` lacks replaced by its text."""
    old = [(link.destination, link.text) for link in parse_document("p.md", before.encode()).links]
    doc = parse_document("p.md", after.encode())
    edits = []
    for link in doc.links:
        key = (link.destination, link.text)
        if key in old:
            old.remove(key)
            continue
        written = after[link.span.start : link.span.end]
        assert written.startswith("[" + link.text + "](")  # a plain inline link around the phrase
        edits.append(Edit(link.span.start, link.span.end, link.text))
    return apply_edits(after, edits)


def run_fix(data: bytes, unsafe: bool, select: list[str]):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_files(root, {**SITE, "post.md": data})
        config = load_config(root, specs(), profiles=PROFILE_NAMES)
        selection = Selection(select)
        result = fix_site(root, config, selection=selection, unsafe=unsafe)
        assert write_changes(root, result) == []
        written = (root / "post.md").read_bytes()
        again = fix_site(root, config, selection=selection, unsafe=unsafe)
        assert again.files == {}, "fixing twice must equal fixing once"
        return result, written


def check_common(data: bytes, written: bytes) -> tuple[str, str]:
    bom = data.startswith(BOM)
    assert written.startswith(BOM) == bom
    before = data[len(BOM) :].decode("utf-8") if bom else data.decode("utf-8")
    after = written[len(BOM) :].decode("utf-8") if bom else written.decode("utf-8")
    # Line endings, one by one, and the final one (or its absence) are kept.
    assert [c for c in before if c in "\r\n"] == [c for c in after if c in "\r\n"]
    assert parse_document("post.md", written).problems == ()
    return before, after


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_safe_fixes_change_only_link_destinations(data: bytes) -> None:
    result, written = run_fix(data, unsafe=False, select=["LL003", "LL004"])
    before, after = check_common(data, written)
    assert masked(after) == masked(before)
    assert block_structure(after) == block_structure(before)
    kinds = [(link.kind, link.text) for link in parse_document("post.md", data).links]
    assert [(link.kind, link.text) for link in parse_document("post.md", written).links] == kinds
    if after != before:
        assert "post.md" in result.files
    event("fixed" if after != before else "unchanged")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page(PHRASE_WORDS, st.one_of(LINKS, OTHER_LINKS, OTHER_LINKS)))
def test_unsafe_fixes_only_wrap_phrases_in_links(data: bytes) -> None:
    # LL001 alone: the links already there stay as they are, so a link of the
    # result is new exactly when the page had no such link.
    _, written = run_fix(data, unsafe=True, select=["LL001"])
    before, after = check_common(data, written)
    assert without_new_links(before, after) == before
    assert block_structure(after) == block_structure(before)
    inserted = len(parse_document("post.md", written).links) - len(parse_document("post.md", data).links)
    assert 0 <= inserted <= 1  # one related page, one link at most
    event(f"links inserted: {inserted}")
