from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest

from linklint import __version__
from linklint.cli import main
from linklint.ruledocs import rule_page
from linklint.rules import RULES
from tests.site_helpers import git_init, write_files

SITE = {
    ".linklint.yaml": "rules:\n  min-internal-links: off\n  orphan-page: off\n",
    "a.md": "# A\n\n[b](b.md) [gone](gone.md)\n",
    "b.md": "# B\n\n[here](a.md)\n",
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    write_files(tmp_path, SITE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_check_is_the_default_command_and_errors_exit_1(site: Path, capsys) -> None:
    assert main([]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "a.md:3:11: LL003 broken-link: link target `gone.md` does not exist"
    assert out.rstrip().splitlines()[-1].startswith("Found 1 error and 1 warning")


def test_an_mdx_comment_silences_the_next_line(site: Path, capsys) -> None:
    (site / "c.mdx").write_text("# C\n\n{/* linklint-disable-next-line LL003 */}\n[a](gone.md)\n[b](gone.mdx)\n[c](a.md) [d](b.md)\n")
    assert main(["check", "--no-cache", "c.mdx"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("c.mdx:")] == [
        "c.mdx:5:1: LL003 broken-link: link target `gone.mdx` does not exist"
    ]


def test_python_m_linklint_imports_no_package_of_the_checked_repository(site: Path) -> None:
    # `python -m` puts the working folder first on sys.path, where a
    # repository's own top-level packages would shadow linklint's dependencies.
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    for package in ("spacy", "markdown_it", "numpy"):
        write_files(site, {f"{package}/__init__.py": "raise SystemExit('the repository was imported')\n"})
    # LL001's suggestions load spaCy.
    write_files(site, {".linklint.yaml": "rules:\n  orphan-page: off\n"})
    env = {**os.environ, "PYTHONPATH": str(root)}
    for command in (["check", "--no-cache"], ["check", "--no-cache", "--jobs", "2"]):
        done = subprocess.run([sys.executable, "-m", "linklint", *command], cwd=site, env=env, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        assert "the repository was imported" not in done.stderr
    assert done.stdout.splitlines()[0] == "a.md:1:1: LL001 min-internal-links: links to 1 internal page; at least 3 expected"


def test_the_checked_site_outlives_the_check_until_the_next(site: Path, monkeypatch) -> None:
    """``run`` exits without freeing the site object by object: the command
    keeps its last site; a second check replaces it, so a process calling
    ``main`` again and again holds one at most."""
    import gc
    import weakref

    import linklint.engine as engine

    sites: list[weakref.ref] = []
    real = engine.check

    def check(*args, **kwargs):
        run = real(*args, **kwargs)
        sites.append(weakref.ref(run.site))
        return run

    monkeypatch.setattr(engine, "check", check)
    assert main(["check", "--no-cache"]) == 1
    gc.collect()
    assert sites[0]() is not None and sorted(sites[0]().documents) == ["a.md", "b.md"]
    assert main(["check", "--no-cache", "--format", "json"]) == 1
    gc.collect()
    assert sites[0]() is None and sites[1]() is not None


def test_concise_output_and_exit_0_with_warnings_only(site: Path, capsys) -> None:
    assert main(["check", "--format", "concise", "--ignore", "LL003"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "b.md:3:1: LL006 link text “here” is generic; describe the target"
    )


def test_fail_on_warning(site: Path) -> None:
    assert main(["check", "--ignore", "broken-link", "--fail-on", "warning"]) == 1


def test_select_by_name_and_prefix(site: Path, capsys) -> None:
    assert main(["--select", "generic-anchor-text", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [v["code"] for v in data["violations"]] == ["LL006"]
    assert main(["--select", "LL00", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [v["code"] for v in data["violations"]] == ["LL003", "LL006"]


def test_json_document(site: Path, capsys) -> None:
    assert main(["check", "--format", "json", "--select", "LL003"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "version": __version__,
        "root": ".",
        "generator": "plain",
        "files": 2,
        "summary": {"errors": 1, "warnings": 0, "fixable": 0},
        "violations": [
            {
                "code": "LL003",
                "name": "broken-link",
                "severity": "error",
                "path": "a.md",
                "line": 3,
                "column": 11,
                "end_line": 3,
                "end_column": 26,
                "message": "link target `gone.md` does not exist",
                "target": "gone.md",
                "suggestions": [],
                "fix": None,
            }
        ],
    }


def test_output_file(site: Path, capsys) -> None:
    assert main(["check", "--format", "json", "--output", "report.json"]) == 1
    assert capsys.readouterr().out == ""
    assert json.loads((site / "report.json").read_text())["summary"]["errors"] == 1


def test_paths_limit_what_is_reported(site: Path, capsys) -> None:
    assert main(["check", "b.md", "--format", "concise"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("b.md:3:1: LL006")
    assert not any(line.startswith("a.md") for line in lines)


def test_github_format_is_the_default_under_github_actions(site: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "--select", "LL003"]) == 1
    assert capsys.readouterr().out.startswith("::error file=a.md,line=3,col=11,")


def test_root_is_the_closest_config_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    git_init(tmp_path)
    write_files(tmp_path, {"README.md": "[x](nothing.md)\n"})
    write_files(tmp_path / "blog", SITE)
    monkeypatch.chdir(tmp_path / "blog")
    assert main(["check", "--format", "json", "--select", "LL003"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == 2
    assert [v["path"] for v in data["violations"]] == ["a.md"]


HELD_SITE = {
    "posts/a.md": "# A\n\nSee [b](/posts/b.md) and [gone](/posts/gone.md).\n",
    "posts/b.md": "# B\n\nBack to [a](/posts/a.md).\n",
}


def _broken(capsys) -> list[tuple]:
    data = json.loads(capsys.readouterr().out)
    return [(v["path"], v["line"], v["column"], v["message"], v["fix"]) for v in data["violations"]]


@pytest.mark.parametrize("given", [["blog"], ["blog/posts/a.md"], ["blog/posts", "blog/posts/b.md"]])
def test_a_site_named_from_the_folder_holding_it_is_checked_from_its_own_root(tmp_path: Path, monkeypatch, capsys, given) -> None:
    # The folder that holds the site is in no repository and has no config:
    # the root is found from the paths given, so `/posts/b.md` resolves in
    # the site (from the folder holding it, it was "broken", with a "safe"
    # fix to `/blog/posts/b.md`).
    write_files(tmp_path / "blog", HELD_SITE)
    git_init(tmp_path / "blog")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--format", "json", "--select", "LL003", *given]) == 1
    assert _broken(capsys) == [("posts/a.md", 3, 26, "link target `/posts/gone.md` does not exist", None)]
    assert main(["fix", *given]) == 1  # nothing it can fix; the broken link stays
    capsys.readouterr()
    for rel, text in HELD_SITE.items():
        assert (tmp_path / "blog" / rel).read_text(encoding="utf-8") == text


def test_a_site_found_from_its_config_and_paths_in_two_sites(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path / "site", {".linklint.yaml": "rules:\n  orphan-page: off\n", **HELD_SITE})
    write_files(tmp_path / "other", {"o.md": "# O\n\n[a](/posts/a.md)\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--format", "json", "--select", "LL003", "site/posts/a.md"]) == 1
    assert [found[:3] for found in _broken(capsys)] == [("posts/a.md", 3, 26)]
    # Paths in two sites: the root is the folder the command runs in, as
    # before, and links are resolved from there.
    assert main(["check", "--format", "json", "--select", "LL003", "site", "other"]) == 1
    assert [found[:3] for found in _broken(capsys)] == [
        ("other/o.md", 3, 1),
        ("site/posts/a.md", 3, 5),
        ("site/posts/a.md", 3, 26),
        ("site/posts/b.md", 3, 9),
    ]


def test_sites_that_tie_are_named_with_what_to_do(tmp_path: Path, monkeypatch, capsys) -> None:
    # One MkDocs site per language (fastapi's layout): none can be told to be
    # the site, so the repository is checked as a plain one, and the note says
    # why and what settles it.
    files = {
        "docs/en/mkdocs.yml": "site_name: x\n",
        "docs/en/docs/index.md": "# Home\n\n[guide](/guide/)\n",
        "docs/en/docs/guide.md": "# Guide\n",
        "docs/hi/mkdocs.yml": "site_name: x\n",
        "docs/hi/docs/index.md": "# Home\n",
    }
    write_files(tmp_path, files)
    git_init(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--no-cache", "--format", "json", "--select", "LL003"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["generator"] == "plain"
    assert captured.err == (
        "linklint: note: `docs/en/` and `docs/hi/` each hold a site generator's config, at the same depth: "
        "which one is the site cannot be told, so the repository was checked as a plain one (links as GitHub "
        "shows them); set `content:` to the site's folder in .linklint.yaml\n"
    )
    # Settled: the MkDocs site in docs/en, its pages in docs/en/docs/.
    write_files(tmp_path, {".linklint.yaml": "content: docs/en\n"})
    assert main(["check", "--no-cache", "--format", "json", "--select", "LL003"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (data["generator"], data["files"], data["violations"], captured.err) == ("mkdocs", 2, [], "")


def test_a_site_with_nearly_all_the_markdown_wins_a_tie(tmp_path: Path, monkeypatch, capsys) -> None:
    # cockroachdb/docs' layout: the docs beside two small sites at the same
    # depth. Ten times the Markdown files of each other makes the site; nine
    # times does not.
    files = {f"src/current/p{i}.md": f"# P{i}\n\n[home](/docs/index.html)\n" for i in range(9)}
    files |= {
        "src/current/_config.yml": "baseurl: /docs\n",
        "src/current/index.md": "---\ntitle: Home\n---\n# Home\n",
        "src/api/_config.yml": "title: API\n",
        "src/api/index.md": "---\ntitle: API\n---\n# API\n",
        "src/tutorials/_config.yml": "title: Tutorials\n",
    }
    write_files(tmp_path, files)
    git_init(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "--format", "json", "--select", "LL003"]) == 0
    captured = capsys.readouterr()
    assert (json.loads(captured.out)["generator"], captured.err) == ("jekyll", "")
    (tmp_path / "src/current/p8.md").unlink()
    assert main(["check", "--no-cache", "--format", "json", "--select", "LL003"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["generator"] == "plain"
    assert "`src/api/`, `src/current/` and `src/tutorials/` each hold" in captured.err


def test_usage_errors_exit_2(site: Path, capsys) -> None:
    assert main(["check", "--select", "LL999"]) == 2
    assert capsys.readouterr().err == "linklint: error: unknown rule `LL999` in --select/--ignore; `linklint rule` lists them\n"
    assert main(["check", "missing.md"]) == 2
    assert capsys.readouterr().err == "linklint: error: `missing.md`: no such file or folder\n"
    assert main(["check", "--format", "xml"]) == 2
    assert main(["rule", "nope"]) == 2


def test_rule_prints_the_page(capsys) -> None:
    assert main(["rule", "broken-anchor"]) == 0
    assert capsys.readouterr().out == rule_page(RULES["LL004"])
    assert main(["rule"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("LL001  min-internal-links")
    assert len(listing) == len(RULES)


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"linklint {__version__}\n"


def test_every_hook_id_is_in_the_readme() -> None:
    import yaml

    root = Path(__file__).parents[1]
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    readme = (root / "README.md").read_text()
    assert [h["id"] for h in hooks] == ["linklint", "linklint-fix", "linklint-site"]
    for hook in hooks:
        assert f"id: {hook['id']} " in readme


def test_an_internal_error_exits_2_not_1(site: Path, capsys, monkeypatch) -> None:
    import linklint.engine

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(linklint.engine, "check", broken)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "RuntimeError: boom" in err
    assert err.rstrip().endswith("please report it with the traceback above")


@pytest.mark.parametrize("given,kept", [(None, "1"), ("4", "4")])
def test_the_command_keeps_openblas_to_one_thread_unless_told(monkeypatch, given, kept) -> None:
    # linklint uses no linear algebra; OpenBLAS's threads would only take a core.
    from linklint import cli

    if given is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", given)
    monkeypatch.setattr(cli, "main", lambda: 0)

    def exit_(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(cli.os, "_exit", exit_)
    with pytest.raises(SystemExit):
        cli.run()
    assert os.environ["OPENBLAS_NUM_THREADS"] == kept


def _parsers(parser) -> list:
    """A parser and its subcommands' parsers."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(_parsers(sub))
    return found


@pytest.mark.parametrize("columns", ["57", "140", None])
def test_help_is_laid_out_as_argparse_lays_it_out(monkeypatch, columns: str | None) -> None:
    from linklint.cli import _parser

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)  # and standard output is no terminal here: 80
    else:
        monkeypatch.setenv("COLUMNS", columns)
    ours = _parser()
    helps = [p.format_help() for p in _parsers(ours)]
    assert len(helps) == 1 + 7
    for parser in _parsers(ours):
        parser.formatter_class = argparse.HelpFormatter
    # argparse's own formatter asks shutil for the width: the same layout.
    assert helps == [p.format_help() for p in _parsers(ours)]


def test_starting_a_check_imports_no_archive_or_resource_modules(tmp_path: Path) -> None:
    from tests.site_helpers import modules_after_cli

    write_files(tmp_path, SITE)
    startup = {"shutil", "lzma", "bz2", "tempfile", "importlib.resources"}
    assert modules_after_cli(tmp_path, ["check", "--select", "LL003"], startup) == (1, [])


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "github", "sarif", "junit"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path, monkeypatch, fmt: str) -> None:
    """Git lists a name whose bytes are not UTF-8 (a Latin-1 "é"); its
    violation is reported in each format, the name written as its own bytes
    in text, as the ``\\udce9`` escape of its surrogate in JSON (a JSON
    document is UTF-8), percent-encoded in SARIF's URIs, and with the
    replacement character in JUnit's XML, which cannot hold the byte.
    SARIF's fingerprint of that name crashed the command before, and JSON
    held the byte itself."""
    import subprocess

    from tests.test_output import sarif_validator

    write_files(tmp_path, {"index.md": "# Home\n\n[x](cafe.md)\n"})
    (tmp_path / os.fsdecode(b"caf\xe9.md")).write_bytes(b"# Caf\n\n[gone](nope.md)\n")
    git_init(tmp_path)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    out = tmp_path / "report.out"
    assert main(["check", "--no-cache", "--format", fmt, "--output", str(out)]) == 1
    printed = out.read_bytes()
    name = {"json": b"caf\\udce9.md", "sarif": b"caf%E9.md", "junit": "caf\ufffd.md".encode()}.get(fmt, b"caf\xe9.md")
    assert name in printed and b"nope.md" in printed
    if fmt == "json":
        assert "caf\udce9.md" in {v["path"] for v in json.loads(printed)["violations"]}
    if fmt == "sarif":
        log = json.loads(printed)
        sarif_validator().validate(log)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
        assert "caf%E9.md" in uris


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_file_name_that_is_not_utf8_goes_to_a_strict_utf8_output(tmp_path: Path, command: str) -> None:
    """Standard output that refuses surrogates (UTF-8, strict: the default
    under a UTF-8 locale) still gets the report, the name as its own bytes;
    ``linklint fix`` wrote its report as text and stopped with an internal
    error before."""
    import subprocess
    import sys

    write_files(tmp_path, {"index.md": "# Home\n\n[x](cafe.md)\n"})
    (tmp_path / os.fsdecode(b"caf\xe9.md")).write_bytes(b"# Caf\n\n[gone](nope.md)\n")
    git_init(tmp_path)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True, capture_output=True)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run([sys.executable, "-m", "linklint", command, "--no-cache"], cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    assert b"caf\xe9.md:3:1: LL003 broken-link: link target `nope.md` does not exist" in done.stdout
