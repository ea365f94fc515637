"""Inserted links (LL001, LL002 with --unsafe-fixes) and `linklint suggest`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from linklint.cli import main
from linklint.document import parse_document
from linklint.insert import call_to_action, eol_of
from tests.site_helpers import write_files

COMPOST = "---\ntitle: Hot composting\n---\nHot composting turns kitchen scraps into compost in weeks. Turn the heap.\n"
WORMS = "---\ntitle: Worm bins\n---\nWorm bins turn kitchen scraps into compost too. Worms eat scraps.\n"
NEWSLETTER = "---\ntitle: The compost newsletter\n---\nA monthly compost newsletter: kitchen scraps, heaps and worms.\n"


def site(root: Path, files: dict[str, str], **config) -> None:
    write_files(root, {**files, ".linklint.yaml": yaml.safe_dump(config, sort_keys=False)})


def run(root: Path, monkeypatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(list(args))


def test_suggest_ranks_related_pages_with_phrase_line_and_state(tmp_path: Path, monkeypatch, capsys) -> None:
    site(
        tmp_path,
        {
            "compost.md": COMPOST,
            "worms.md": WORMS,
            "post.md": "---\ntitle: My kitchen scraps\n---\nKitchen scraps go to the worm bins"
            " or into [hot composting](compost.md).\n\nMore scraps, more compost.\n",
            "tomatoes.md": "---\ntitle: Tomatoes\n---\nSun and water.\n",
        },
        landing_pages=["worms.md"],
    )
    assert run(tmp_path, monkeypatch, "suggest", "post.md") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Pages related to post.md, most related first:"
    assert [line.split()[1] for line in out[1::2]] == ["worms.md", "compost.md"]
    assert out[2].strip() == "line 4: “worm bins”  [landing page]"
    assert out[4].strip() == "no phrase in the post matches  [linked]"

    assert run(tmp_path, monkeypatch, "suggest", "post.md", "--format", "json", "-n", "1") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["path"] == "post.md"
    (first,) = data["suggestions"]
    assert first == {
        "target": "worms.md",
        "title": "Worm bins",
        "score": first["score"],
        "linked": False,
        "landing_page": True,
        "link": "worms.md",
        "phrase": "worm bins",
        "line": 4,
        "column": 26,
    }
    assert 0 < first["score"] <= 1


def test_suggest_needs_a_page_of_the_site(tmp_path: Path, monkeypatch, capsys) -> None:
    site(tmp_path, {"post.md": "# Post\n", "notes.txt": "x\n"})
    assert run(tmp_path, monkeypatch, "suggest", "notes.txt") == 2
    assert "is not a page of the site" in capsys.readouterr().err
    assert run(tmp_path, monkeypatch, "suggest", "post.md") == 0
    assert capsys.readouterr().out == "No related pages found for post.md.\n"


def test_ll001_and_ll002_never_link_one_page_twice(tmp_path: Path, monkeypatch, capsys) -> None:
    site(
        tmp_path,
        {
            "newsletter.md": NEWSLETTER,
            "post.md": "---\ntitle: Scraps\n---\nKitchen scraps feed the compost heap. Read the compost newsletter"
            " each month.\n",
        },
        landing_pages=["newsletter.md"],
        rules={"min-internal-links": {"min": 1}},
    )
    assert run(tmp_path, monkeypatch, "fix", "--unsafe-fixes", "--format", "concise") == 0
    text = (tmp_path / "post.md").read_text()
    assert text.count("](newsletter.md)") == 1
    assert "Read [the compost newsletter](newsletter.md) each month." in text
    assert "Fixed 1 problem in 1 file." in capsys.readouterr().out


def test_a_phrase_needs_a_word_the_target_is_about(tmp_path: Path, monkeypatch) -> None:
    site(
        tmp_path,
        {
            "system.md": "---\ntitle: Composting basics that actually work\n---\nBays, browns, greens, turning, "
            "bays and more bays.\n",
            "post.md": "---\ntitle: Raised beds\n---\nThe raised bed actually works, and turning soil works"
            " too; bays of raised beds.\n",
        },
        rules={"min-internal-links": {"min": 1}},
    )
    assert run(tmp_path, monkeypatch, "fix", "--unsafe-fixes") == 0
    assert "](system.md)" not in (tmp_path / "post.md").read_text()


def test_inserted_links_keep_crlf_and_an_image_is_never_made(tmp_path: Path, monkeypatch) -> None:
    site(
        tmp_path,
        {
            "worms.md": WORMS,
            "post.md": "---\r\ntitle: Kitchen scraps\r\n---\r\nScraps!worm bins are great.\r\n\r\n"
            "Kitchen scraps go to the worm bins.\r\n",
        },
        rules={"min-internal-links": {"min": 1}},
    )
    assert run(tmp_path, monkeypatch, "fix", "--unsafe-fixes") == 0
    assert (tmp_path / "post.md").read_bytes() == (
        b"---\r\ntitle: Kitchen scraps\r\n---\r\nScraps!worm bins are great.\r\n\r\n"
        b"Kitchen scraps go to the [worm bins](worms.md).\r\n"
    )


def test_landing_pages_are_tried_by_relevance(tmp_path: Path, monkeypatch) -> None:
    site(
        tmp_path,
        {
            "newsletter.md": NEWSLETTER,
            "shop.md": "---\ntitle: Seed shop\n---\nTomato seed, bean seed, squash seed.\n",
            "post.md": "---\ntitle: Compost\n---\nCompost kitchen scraps in heaps; worms help the compost.\n",
        },
        landing_pages=["newsletter.md", "shop.md"],
    )
    assert run(tmp_path, monkeypatch, "fix", "--unsafe-fixes", "--select", "LL002") == 0
    assert (tmp_path / "post.md").read_text().endswith(
        "worms help the compost.\n\nSee also: [The compost newsletter](newsletter.md).\n"
    )


@pytest.mark.parametrize(
    ("text", "edit_text", "offset"),
    [
        ("# A\n\nText.\n", "\nSee [L](l.md).\n", 11),
        ("# A\n\nText.\n\n", "See [L](l.md).\n", 12),  # already ends with a blank line
        ("# A\r\rText.", "\r\rSee [L](l.md).", 10),
        ("# A\r\n\r\nText.\r\n  \r\n", "See [L](l.md).\r\n", 18),
    ],
)
def test_call_to_action_at_the_end(text: str, edit_text: str, offset: int) -> None:
    edit = call_to_action(parse_document("a.md", text.encode()), "See [{title}]({link}).", "L", "l.md", "end")
    assert (edit.start, edit.end, edit.content) == (offset, offset, edit_text)


def test_call_to_action_after_the_first_paragraph() -> None:
    doc = parse_document("a.md", b"# A\n\nOne\ntwo.\n- list\n")
    edit = call_to_action(doc, "Go [{title}]({link})", "L", "l.md", "after-first-paragraph")
    assert (edit.start, edit.content) == (14, "\nGo [L](l.md)\n\n")
    only = parse_document("a.md", b"# A\n\nOne.")
    edit = call_to_action(only, "Go", "L", "l.md", "after-first-paragraph")
    assert (edit.start, edit.content) == (9, "\n\nGo")  # the paragraph ends the file: at the end


def test_no_call_to_action_for_an_empty_template_or_page() -> None:
    assert call_to_action(parse_document("a.md", b"Text.\n"), "  ", "L", "l.md", "end") is None
    assert call_to_action(parse_document("a.md", b"\n\n"), "Go", "L", "l.md", "end") is None


def test_eol() -> None:
    assert eol_of("a\r\nb\n") == "\r\n"
    assert eol_of("a") == "\n"


def test_a_pages_other_versions_are_never_suggested(tmp_path: Path, monkeypatch, capsys) -> None:
    # Versioned docs: `v1/heaps.md` is `v2/heaps.md` of an older release, the
    # page most like it; a reader of v2 needs v2's related page instead.
    heaps = "---\ntitle: Compost heaps\n---\nHot compost heaps need kitchen scraps, worms and turning.\n"
    site(
        tmp_path,
        {
            "docs/v1/heaps.md": heaps,
            "docs/v2/heaps.md": heaps,
            "docs/latest/heaps.md": heaps,
            "docs/v2/worms.md": WORMS,
            "docs/v2/compost.md": COMPOST,
            # Another version's page like it: for v2's readers, not a link to v1.
            "docs/v1/compost.md": COMPOST,
        },
    )
    assert run(tmp_path, monkeypatch, "suggest", "docs/v2/heaps.md", "--format", "json") == 0
    targets = [s["target"] for s in json.loads(capsys.readouterr().out)["suggestions"]]
    assert targets == ["docs/v2/compost.md", "docs/v2/worms.md"]
    assert run(tmp_path, monkeypatch, "check", "--select", "LL001", "--format", "json", "docs/v2/heaps.md") == 0
    (violation,) = json.loads(capsys.readouterr().out)["violations"]
    assert [s.split("`")[1] for s in violation["suggestions"]] == ["compost.md", "worms.md"]


def test_a_phrase_in_template_code_never_carries_a_link(tmp_path: Path, monkeypatch) -> None:
    # Liquid's comments hold sentences, and tags hold text too: a link there
    # is never shown. The first phrase readers see carries it.
    post = (
        "---\ntitle: Kitchen scraps\n---\n{% comment %} The worm bins list {% endcomment %}\n\n"
        "{% include note.html text=\"worm bins\" %}\n\nKitchen scraps go to the worm bins.\n"
    )
    site(tmp_path, {"worms.md": WORMS, "post.md": post}, rules={"min-internal-links": {"min": 1}})
    assert run(tmp_path, monkeypatch, "fix", "--unsafe-fixes") == 0
    assert (tmp_path / "post.md").read_text() == post.replace("to the worm bins.", "to the [worm bins](worms.md).")


def test_a_placeholder_never_carries_a_link(tmp_path: Path, monkeypatch) -> None:
    # A template page titled "TODO" (a page to copy, every field a
    # placeholder) is no phrase a link should sit on.
    post = "---\ntitle: TODO\n---\nTODO: write about worm bins. TODO: compost heaps, TODO.\n"
    site(
        tmp_path,
        {"template.md": "---\ntitle: TODO\n---\nTODO: worm bins. TODO: compost heaps. TODO.\n", "post.md": post},
        rules={"min-internal-links": {"min": 1}},
    )
    assert run(tmp_path, monkeypatch, "fix", "--unsafe-fixes") == 0
    assert "[TODO]" not in (tmp_path / "post.md").read_text()


def test_docusaurus_versions_are_the_generators(tmp_path: Path, monkeypatch, capsys) -> None:
    # Docusaurus keeps versions in `versioned_docs/version-1.0/`, the current
    # one in `docs/`: no folder name says "version" of `docs/heaps.md`.
    heaps = "---\ntitle: Compost heaps\n---\nHot compost heaps need kitchen scraps, worms and turning.\n"
    site(
        tmp_path,
        {
            "docusaurus.config.js": "module.exports = { title: 'x', url: 'https://x.example', baseUrl: '/' };\n",
            "versions.json": '["1.0"]\n',
            "docs/heaps.md": heaps,
            "docs/worms.md": WORMS,
            "versioned_docs/version-1.0/heaps.md": heaps,
            "versioned_docs/version-1.0/compost.md": COMPOST,
        },
    )
    assert run(tmp_path, monkeypatch, "suggest", "versioned_docs/version-1.0/heaps.md", "--format", "json") == 0
    assert [s["target"] for s in json.loads(capsys.readouterr().out)["suggestions"]] == ["versioned_docs/version-1.0/compost.md"]
    assert run(tmp_path, monkeypatch, "suggest", "docs/heaps.md", "--format", "json") == 0
    assert [s["target"] for s in json.loads(capsys.readouterr().out)["suggestions"]] == ["docs/worms.md"]
