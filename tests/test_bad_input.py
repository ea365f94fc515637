"""Bad input: a clear message naming the file (and line), a documented exit
code, and every other file still checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linklint.cli import main
from tests.site_helpers import positions, run_site, write_files

# A good page with one real problem, so each test can show that the other files
# were still checked.
GOOD = {"good.md": "# Good\n\n[gone](gone.md)\n"}
GOOD_FINDING = ("LL003", "good.md", 3, 1)


def findings(run):
    return [(v.code, v.path, v.span.line, v.span.column, v.message) for v in run.report.violations]


def test_malformed_yaml_front_matter_is_reported_and_the_body_still_checked(tmp_path: Path) -> None:
    run = run_site(
        tmp_path,
        {**GOOD, "bad.md": "---\ntitle: [unclosed\ndate: 2024-01-01\n---\n[x](missing.md)\n"},
        select=["LL003", "LL902"],
    )
    found = findings(run)
    assert [f[:4] for f in found] == [
        ("LL902", "bad.md", 3, 5),
        ("LL003", "bad.md", 5, 1),
        GOOD_FINDING,
    ]
    assert found[0][4].startswith("invalid YAML front matter")


def test_template_front_matter_is_an_error_not_a_crash(tmp_path: Path) -> None:
    run = run_site(tmp_path, {**GOOD, "archetype.md": "---\ntitle: {{ .Name }}\n---\nBody\n"}, select=["LL902", "LL003"])
    assert [f[:3] for f in findings(run)] == [("LL902", "archetype.md", 2), GOOD_FINDING[:3]]


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    run = run_site(tmp_path, {**GOOD, "latin1.md": "# Caf\xe9\n\nline two caf\xe9\n".encode("latin-1")}, select=["LL901", "LL003"])
    assert findings(run) == [
        GOOD_FINDING + ("link target `gone.md` does not exist",),
        ("LL901", "latin1.md", 1, 6, "invalid UTF-8 at line 1, column 6 (byte 0xe9); not checked"),
    ]


def test_binary_file_named_md(tmp_path: Path) -> None:
    run = run_site(tmp_path, {**GOOD, "logo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, select=["LL901", "LL003"])
    assert findings(run)[1] == ("LL901", "logo.md", 1, 1, "binary file, not Markdown; not checked")
    assert findings(run)[0][:4] == GOOD_FINDING


def test_empty_file_is_a_page_without_links(tmp_path: Path) -> None:
    run = run_site(tmp_path, {**GOOD, "empty.md": ""}, select=["LL003", "LL901", "LL902"])
    assert positions(run) == [GOOD_FINDING]
    assert run.report.files == 2


def test_huge_file_is_reported_not_parsed(tmp_path: Path) -> None:
    big = ("[x](missing.md) " * 64 + "\n") * 20_500  # about 21 MB
    run = run_site(tmp_path, {**GOOD, "huge.md": big}, select=["LL901", "LL003"])
    found = findings(run)
    assert found[0][:4] == GOOD_FINDING
    assert found[1][:4] == ("LL901", "huge.md", 1, 1)
    assert found[1][4] == "file is 21.0 MB, over the 5.0 MB limit (max_file_size); not checked"


def test_symlink_loop(tmp_path: Path) -> None:
    write_files(tmp_path, GOOD)
    os.symlink("loop-b.md", tmp_path / "loop-a.md")
    os.symlink("loop-a.md", tmp_path / "loop-b.md")
    run = run_site(tmp_path, select=["LL901", "LL003"])
    assert findings(run) == [
        GOOD_FINDING + ("link target `gone.md` does not exist",),
        ("LL901", "loop-a.md", 1, 1, "symbolic link loop; not read"),
        ("LL901", "loop-b.md", 1, 1, "symbolic link loop; not read"),
    ]


def test_symlink_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("[x](nope.md)\n")
    site = tmp_path / "site"
    write_files(site, GOOD)
    os.symlink(outside / "secret.md", site / "secret.md")
    (site / ".linklint.yaml").write_text("{}\n")
    run = run_site(site, select=["LL901", "LL003"])
    assert findings(run)[1] == ("LL901", "secret.md", 1, 1, "symbolic link leads outside the repository; not read")
    assert len(findings(run)) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    write_files(tmp_path, {**GOOD, "locked.md": "# Locked\n"})
    (tmp_path / "locked.md").chmod(0)
    try:
        run = run_site(tmp_path, select=["LL901", "LL003"])
    finally:
        (tmp_path / "locked.md").chmod(0o644)
    assert findings(run)[1] == ("LL901", "locked.md", 1, 1, "cannot be read: Permission denied")


def test_unreadable_file_a_symlink_to_a_folder(tmp_path: Path) -> None:
    # Root can read any file, so this is the unreadable page root meets too:
    # a name ending in .md that cannot be read as a file.
    write_files(tmp_path, {**GOOD, "notes/a.txt": "x"})
    os.symlink("notes", tmp_path / "notes.md")
    run = run_site(tmp_path, select=["LL901", "LL003"])
    assert findings(run)[1] == ("LL901", "notes.md", 1, 1, "is a folder, not a file; not read")


def test_broken_config_exits_2_and_names_file_line_and_key(tmp_path: Path, capsys, monkeypatch) -> None:
    write_files(tmp_path, {**GOOD, ".linklint.yaml": "rules:\n  min-internal-links:\n    min: many\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "linklint: config error: .linklint.yaml:3: rules.min-internal-links.min: "
        'expected an integer, got a string ("many")\n'
    )


def test_link_outside_the_repository_is_reported_and_never_read(tmp_path: Path, monkeypatch) -> None:
    opened: list[str] = []
    real_read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    run = run_site(tmp_path, {"a.md": "[p](../../../etc/passwd) [q](/../../etc/passwd)\n"}, select=["LL003"])
    assert positions(run) == [("LL003", "a.md", 1, 1), ("LL003", "a.md", 1, 26)]
    assert all("passwd" not in name for name in opened)


@pytest.mark.parametrize(
    "site",
    [
        {},  # a plain repository
        {"hugo.toml": "baseURL = 'https://example.org/'\n"},  # a generator with its own host
    ],
)
def test_a_url_with_an_unbalanced_ipv6_bracket_is_external_not_a_crash(tmp_path: Path, site: dict) -> None:
    # urlsplit refuses `http://[oops/x` (ValueError): the run goes on and the
    # link, on another host, is not judged.
    folder = "content/" if site else ""
    page = "# Page\n\n[a](http://[oops/x) [b](//[v6/y#z) [c](HTTPS://x]y/) [d](gone.md)\n"
    run = run_site(tmp_path, {**site, f"{folder}page.md": page, **{f"{folder}{k}": v for k, v in GOOD.items()}}, select=["LL003"])
    assert positions(run) == [("LL003", f"{folder}good.md", 3, 1), ("LL003", f"{folder}page.md", 3, 54)]
