"""Applying fixes: edits, block structure, writing files, convergence and the
`linklint fix` command."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from linklint.cli import main
from linklint.config import load_config
from linklint.engine import Selection
from linklint.fix import (
    FixError,
    WriteRefused,
    _select,
    apply_edits,
    conflicts,
    fix_site,
    structure_kept,
    unified_diff,
    write_file,
)
from linklint.model import Applicability, Edit, Fix, Severity, Span, Violation
from linklint.rules import broken_link, specs
from linklint.rules.base import Finding
from linklint.sites import PROFILE_NAMES
from tests.site_helpers import write_files

# A site with one safe fix: `guide.md` moved to `docs/guide.md` (a unique name).
MOVED = {"docs/guide.md": "# Guide\n\n## Setup\n"}


def fix_cli(root: Path, monkeypatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(["fix", *args])


# -- edits -------------------------------------------------------------------------------


def test_edits_are_spliced_in_order_and_nothing_else_changes() -> None:
    text = "ab\r\ncd\té✓"
    edits = [Edit(6, 7, "Z"), Edit(0, 0, ">"), Edit(2, 4, "\n")]
    assert apply_edits(text, edits) == ">ab\ncdZé✓"


def test_overlapping_or_outside_edits_are_rejected() -> None:
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(2, 5, "x")])


def test_conflicts() -> None:
    assert conflicts(Edit(0, 3, "x"), Edit(2, 4, "y"))
    assert not conflicts(Edit(0, 2, "x"), Edit(2, 4, "y"))  # touching ranges are fine
    assert conflicts(Edit(2, 2, "x"), Edit(2, 2, "y"))  # two insertions at one place
    assert conflicts(Edit(2, 2, "x"), Edit(2, 4, "y"))  # before or inside? a guess
    assert not conflicts(Edit(4, 4, "x"), Edit(2, 4, "y"))


def _violation(code: str, edits: tuple[Edit, ...], line: int = 1) -> Violation:
    span = Span(0, 1, line, 1, line, 2)
    return Violation(code, "x", Severity.ERROR, "a.md", span, "m", fix=Fix("t", Applicability.SAFE, edits))


def test_a_fix_that_overlaps_an_earlier_one_waits_for_the_next_round() -> None:
    first = _violation("LL003", (Edit(0, 4, "x"),))
    second = _violation("LL004", (Edit(2, 6, "y"),))
    shared = _violation("LL003", (Edit(0, 4, "x"),), line=2)  # one reference definition, two uses
    chosen, invalid = _select("abcdefgh", [first, second, shared], set())
    assert chosen == [first, shared] and invalid == []


def test_content_insertions_wait_for_a_round_without_other_fixes() -> None:
    rewrite = _violation("LL003", (Edit(0, 1, "x"),))
    insert = _violation("LL001", (Edit(5, 6, "[f](g)"),))
    landing = _violation("LL002", (Edit(7, 7, "\n\ny"),))
    assert _select("abcdefgh", [rewrite, insert, landing], set())[0] == [rewrite]
    assert _select("abcdefgh", [insert, landing], set())[0] == [insert]


def test_invalid_edits_are_reported() -> None:
    bad = _violation("LL003", (Edit(5, 99, "x"),))
    assert _select("abc", [bad], set()) == ([], [bad])


# -- block structure -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "edits", "kept"),
    [
        ("See [a](b.md).\n", [Edit(8, 12, "c/d.md")], True),
        ("| a | b |\n|---|---|\n| [x](y.md) | z |\n", [Edit(26, 30, "y|w.md")], False),
        ("Text.\n", [Edit(6, 6, "\nMore.\n")], True),  # a paragraph added on its own lines
        ("Text.\n", [Edit(6, 6, "\n# More\n")], False),  # not a paragraph
        ("Text.", [Edit(5, 5, "\n\nMore.")], True),
        ("Text.\n\n```\ncode\n", [Edit(16, 16, "\nMore.\n")], False),  # into an open fence
        ("- a\n- b\n", [Edit(8, 8, "\nMore.\n")], True),
        ("- a\n- b\n", [Edit(8, 8, "  More.\n")], False),  # lazy continuation of the list
        ("---\ntitle: x\n---\nText.\n", [Edit(23, 23, "\nMore.\n")], True),
        ("Para\n\n    code\n", [Edit(5, 5, "\nMore.\n")], True),
        ("A\r\nB\r\n\r\nC\r\n", [Edit(6, 6, "\r\nMore.\r\n")], True),
    ],
)
def test_block_structure(before: str, edits: list[Edit], kept: bool) -> None:
    assert structure_kept(before, apply_edits(before, edits), edits) is kept


# -- bytes on disk -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "# A\n\nSee [g]({dest}).\n",
        "# A\r\n\r\nSee [g]({dest}).\r\n",
        "# A\r\rSee [g]({dest}).\r",
        "# A\n\r\nSee [g]({dest}).",  # mixed line endings, no final line break
        "\ufeff# Ä\n\n\tSee ✓ [g]({dest})\t→ ünïcödé 🌱\n",
        "\ufeff---\ntitle: Überblick\n---\n\nSiehe [g]({dest}) — „gut“.\n",
    ],
)
def test_no_byte_outside_the_edit_changes(tmp_path: Path, monkeypatch, template: str) -> None:
    if template.startswith("\ufeff# Ä\n\n\t"):
        template = template.replace("\n\n\t", "\n\nx\t")  # a tab, not an indented code block
    before = template.format(dest="guide.md").encode("utf-8")
    write_files(tmp_path, {**MOVED, "a.md": before})

    assert fix_cli(tmp_path, monkeypatch) == 0

    assert (tmp_path / "a.md").read_bytes() == template.format(dest="docs/guide.md").encode("utf-8")


def test_file_mode_is_kept(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {**MOVED, "a.md": "[g](guide.md)\n", "b.md": "[g](guide.md#setup)\n"})
    os.chmod(tmp_path / "a.md", 0o640)
    os.chmod(tmp_path / "b.md", 0o755)

    assert fix_cli(tmp_path, monkeypatch) == 0

    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b.md").stat().st_mode) == 0o755
    assert (tmp_path / "b.md").read_text() == "[g](docs/guide.md#setup)\n"


def test_writes_are_atomic_replacements_from_the_same_folder(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {**MOVED, "posts/a.md": "[g](../guide.md)\n"})
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        # The target still holds the old content until the rename.
        replaced.append((Path(src), Path(dst), Path(dst).read_bytes(), Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    assert fix_cli(tmp_path, monkeypatch) == 0

    (src, dst, old, new), = replaced
    assert src.parent == dst.parent == (tmp_path / "posts").resolve()
    assert (old, new) == (b"[g](../guide.md)\n", b"[g](../docs/guide.md)\n")
    assert sorted(p.name for p in (tmp_path / "posts").iterdir()) == ["a.md"]  # no temporary file left


def test_a_failed_write_leaves_the_file_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {"a.md": "old\n"})

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_file(tmp_path, "a.md", b"new\n")
    assert (tmp_path / "a.md").read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_nothing_is_written_through_a_symbolic_link(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {**MOVED, "real.md": "[g](guide.md)\n"})
    (tmp_path / "alias.md").symlink_to("real.md")

    assert fix_cli(tmp_path, monkeypatch, "alias.md") == 1

    assert (tmp_path / "alias.md").is_symlink()
    assert (tmp_path / "real.md").read_text() == "[g](guide.md)\n"
    assert "alias.md is a symbolic link; not written" in capsys.readouterr().err


def test_write_file_refuses_places_outside_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "site"
    outside = tmp_path / "outside"
    write_files(outside, {"a.md": "x\n"})
    write_files(root, {"in.md": "x\n"})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    for rel, reason in [
        ("../outside/a.md", "outside the repository"),
        ("linked/a.md", "behind a symbolic link"),
        ("missing.md", "no longer exists"),
        ("linked", "is a symbolic link"),
    ]:
        with pytest.raises(WriteRefused, match=reason):
            write_file(root, rel, b"y\n")
    assert (outside / "a.md").read_bytes() == b"x\n"


def test_write_file_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.md": "changed\n"})
    with pytest.raises(WriteRefused, match="changed on disk"):
        write_file(tmp_path, "a.md", b"fixed\n", expected=b"original\n")
    assert (tmp_path / "a.md").read_bytes() == b"changed\n"


# -- the loop ------------------------------------------------------------------------------


def test_fixes_that_never_settle_fail_to_converge_and_write_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {"a.md": "a\n"})

    def flip(ctx):
        text = ctx.document.text
        other = "b" if text[0] == "a" else "a"
        yield Finding(Span(0, 1, 1, 1, 1, 2), "flip", fix=Fix(f"flip to {other}", Applicability.SAFE, (Edit(0, 1, other),)))

    monkeypatch.setattr(broken_link, "check", flip)
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    with pytest.raises(FixError, match="failed to converge"):
        fix_site(tmp_path, config, max_rounds=4)

    assert fix_cli(tmp_path, monkeypatch) == 2
    assert "failed to converge: the fixes still changed a.md after 10 rounds; nothing was written" in capsys.readouterr().err
    assert (tmp_path / "a.md").read_text() == "a\n"


def test_a_fix_that_changes_nothing_is_not_applied_forever(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.md": "a\n"})
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)

    def same(ctx):
        yield Finding(Span(0, 1, 1, 1, 1, 2), "same", fix=Fix("same", Applicability.SAFE, (Edit(0, 1, "a"),)))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(broken_link, "check", same)
        result = fix_site(tmp_path, config)
    assert result.files == {}
    assert [r.reason for r in result.refused] == ["it changes nothing"]


def test_a_fix_that_would_change_the_block_structure_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {"a.md": "| a | b |\n|---|---|\n| x | y |\n"})

    def split(ctx):
        fix = Fix("split the table", Applicability.SAFE, (Edit(22, 23, "x\n\nz"),))
        yield Finding(Span(22, 23, 3, 3, 3, 4), "split", fix=fix)

    monkeypatch.setattr(broken_link, "check", split)
    assert fix_cli(tmp_path, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "a.md:3:3: LL003 fix not applied, it would change the Markdown block structure: split the table" in err
    assert (tmp_path / "a.md").read_text() == "| a | b |\n|---|---|\n| x | y |\n"


# -- the command -----------------------------------------------------------------------------


def test_fix_prints_what_it_changed_per_file(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(
        tmp_path,
        {
            **MOVED,
            "a.md": "[g](guide.md) [s](docs/guide.md#Setup)\n",
            "b.md": "[g](guide.md)\n",
            "c.md": "[x](nowhere.md)\n",
        },
    )
    assert fix_cli(tmp_path, monkeypatch, "--format", "concise") == 1  # c.md stays broken

    out = capsys.readouterr().out
    assert out.startswith(
        "a.md\n"
        "  1:1: LL003 point the link to `docs/guide.md` (the only file named `guide.md` is `docs/guide.md`)\n"
        "  1:15: LL004 change `#Setup` to `#setup` (differs only in case)\n"
        "b.md\n"
        "  1:1: LL003 point the link to `docs/guide.md` (the only file named `guide.md` is `docs/guide.md`)\n"
        "Fixed 3 problems in 2 files.\n\n"
    )
    assert "c.md:1:1: LL003 link target `nowhere.md` does not exist" in out
    assert (tmp_path / "a.md").read_text() == "[g](docs/guide.md) [s](docs/guide.md#setup)\n"


def test_fixing_twice_equals_fixing_once(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {**MOVED, "a.md": "[g](guide.md#Setup)\n"})
    assert fix_cli(tmp_path, monkeypatch) == 0
    once = (tmp_path / "a.md").read_bytes()
    assert once == b"[g](docs/guide.md#setup)\n"  # the fragment is fixed in the next round
    capsys.readouterr()
    assert fix_cli(tmp_path, monkeypatch) == 0
    assert (tmp_path / "a.md").read_bytes() == once
    assert "Fixed" not in capsys.readouterr().out


def test_diff_shows_and_writes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {**MOVED, "a.md": "# A\n\n[g](guide.md)"})

    assert fix_cli(tmp_path, monkeypatch, "--diff") == 1

    captured = capsys.readouterr()
    assert captured.out == (
        "--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,3 @@\n # A\n \n-[g](guide.md)\n\\ No newline at end of file\n"
        "+[g](docs/guide.md)\n\\ No newline at end of file\n"
    )
    assert "Would fix 1 problem in 1 file." in captured.err
    assert (tmp_path / "a.md").read_text() == "# A\n\n[g](guide.md)"

    write_files(tmp_path, {"a.md": "# A\n"})
    assert fix_cli(tmp_path, monkeypatch, "--diff") == 0
    assert capsys.readouterr().err.endswith("Nothing to fix.\n")


def test_select_and_ignore_choose_the_fixes(tmp_path: Path, monkeypatch) -> None:
    files = {**MOVED, "a.md": "[g](guide.md) [s](docs/guide.md#Setup)\n"}
    write_files(tmp_path, files)
    assert fix_cli(tmp_path, monkeypatch, "--select", "LL004") == 0  # only LL004 is reported
    assert (tmp_path / "a.md").read_text() == "[g](guide.md) [s](docs/guide.md#setup)\n"

    write_files(tmp_path, files)
    assert fix_cli(tmp_path, monkeypatch, "--ignore", "broken-anchor") == 0
    assert (tmp_path / "a.md").read_text() == "[g](docs/guide.md) [s](docs/guide.md#Setup)\n"


def test_unsafe_fixes_need_the_flag(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {"a.md": "[t](saving-tomato-seed.md)\n", "saving-tomato-seeds.md": "# Seeds\n"})
    assert fix_cli(tmp_path, monkeypatch) == 1
    assert (tmp_path / "a.md").read_text() == "[t](saving-tomato-seed.md)\n"
    assert fix_cli(tmp_path, monkeypatch, "--unsafe-fixes") == 0
    assert (tmp_path / "a.md").read_text() == "[t](saving-tomato-seeds.md)\n"


def test_machine_formats_keep_standard_output_clean(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {**MOVED, "a.md": "[g](guide.md) [x](gone.md)\n"})

    assert fix_cli(tmp_path, monkeypatch, "--format", "json") == 1

    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert [v["target"] for v in report["violations"] if v["code"] == "LL003"] == ["gone.md"]
    assert "a.md\n  1:1: LL003 point the link to `docs/guide.md`" in captured.err


def test_json_and_sarif_carry_the_fix(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {**MOVED, "a.md": "[g](guide.md)\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json"]) == 1
    violation, = [v for v in json.loads(capsys.readouterr().out)["violations"] if v["code"] == "LL003"]
    assert violation["fix"] == {
        "applicability": "safe",
        "title": "point the link to `docs/guide.md` (the only file named `guide.md` is `docs/guide.md`)",
        "edits": [{"start": 4, "end": 12, "text": "docs/guide.md"}],
    }
    assert main(["check", "--format", "sarif"]) == 1
    result, = [r for r in json.loads(capsys.readouterr().out)["runs"][0]["results"] if r["ruleId"] == "LL003"]
    replacement, = result["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"]["text"] == "docs/guide.md"


def test_the_text_report_marks_fixable_problems(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {**MOVED, "a.md": "[g](guide.md)\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "= fix (safe): point the link to `docs/guide.md`" in out
    assert out.endswith("(1 fixable with `linklint fix`).\n")


def test_unified_diff_of_several_files(tmp_path: Path) -> None:
    write_files(tmp_path, {**MOVED, "b.md": "[g](guide.md)\r\n", "a.md": "x\n[g](guide.md)\n"})
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    diff = unified_diff(fix_site(tmp_path, config, selection=Selection(["LL003"])))
    assert diff.index("--- a/a.md") < diff.index("--- a/b.md")
    assert "-[g](guide.md)\r\n+[g](docs/guide.md)\r\n" in diff


def test_display_only_advice_is_shown_and_never_applied(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(
        tmp_path,
        {
            "guide.md": "---\ntitle: Watering guide\n---\nText.\n",
            "a.md": "Our guide is [here](guide.md).\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", "--select", "LL006"]) == 0
    (violation,) = json.loads(capsys.readouterr().out)["violations"]
    assert violation["fix"] == {
        "applicability": "display-only",
        "title": "replace the link text with “Watering guide”",
        "edits": [{"start": 14, "end": 18, "text": "Watering guide"}],
    }
    assert main(["fix", "--unsafe-fixes", "--select", "LL006"]) == 0
    assert (tmp_path / "a.md").read_text() == "Our guide is [here](guide.md).\n"
