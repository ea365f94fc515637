"""Links to moved files, fixed from Git's rename history, in real repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from linklint.cli import main
from linklint.renames import chain, history, parse_log, parse_name_status
from tests.site_helpers import git_init, write_files


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def move(root: Path, old: str, new: str) -> None:
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    git(root, "mv", old, new)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git_init(tmp_path)
    return tmp_path


def fix(root: Path, monkeypatch, *args: str) -> int:
    monkeypatch.chdir(root)
    return main(["fix", "--format", "concise", *args])


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


# -- the history itself ------------------------------------------------------------------


def test_chains_follow_every_rename_oldest_first() -> None:
    past = chain([("a.md", "b.md"), ("b.md", "posts/c.md"), ("x.md", "y.md")])
    assert past.destinations("a.md") == ["posts/c.md"]
    assert past.destinations("b.md") == ["posts/c.md"]
    assert past.earlier_names("posts/c.md") == {"a.md", "b.md"}
    assert past.destinations("posts/c.md") == []


def test_a_name_used_twice_leads_to_both_files() -> None:
    past = chain([("old.md", "x.md"), ("old.md", "y.md")])
    assert past.destinations("old.md") == ["x.md", "y.md"]


def test_a_rename_back_is_not_a_destination_of_itself() -> None:
    past = chain([("a.md", "b.md"), ("b.md", "a.md")])
    assert past.destinations("a.md") == []
    assert past.destinations("b.md") == ["a.md"]


def test_folders_move_with_their_files() -> None:
    past = chain([("guides/a.md", "handbook/a.md"), ("guides/sub/b.md", "handbook/sub/b.md")])
    assert past.folder_destinations("guides") == ["handbook"]
    assert past.folder_destinations("guides/sub") == ["handbook/sub"]


def test_git_output_is_parsed_with_odd_names() -> None:
    log = b"\x01abc\0\nR100\0new name.md\0n\xc3\xa9.md\0M\0x.md\0\x01def\0\nR087\0a.md\0new name.md\0"
    assert parse_log(log) == [("new name.md", "né.md"), ("a.md", "new name.md")]
    assert parse_name_status(b"A\0z.md\0R100\0p.md\0q.md\0".split(b"\0")) == [("p.md", "q.md")]


def test_history_is_read_again_when_the_repository_changes(repo: Path) -> None:
    write_files(repo, {"a.md": "# A\n" * 20})
    commit(repo, "add")
    first = history(repo)
    assert first.destinations("a.md") == []
    assert history(repo) is first  # same state, same answer
    move(repo, "a.md", "b.md")
    assert history(repo).destinations("a.md") == ["b.md"]


def test_no_repository_no_history(tmp_path: Path) -> None:
    assert history(tmp_path).origins == {}


def _index_time(root: Path) -> int:
    return (root / ".git" / "index").stat().st_mtime_ns


def _states_asked(monkeypatch) -> list[list[str]]:
    """The arguments of every Git process started to ask for the state."""
    real = subprocess.Popen
    asked: list[list[str]] = []

    def recorded(args, *rest, **options):
        if "--git-path" in args:
            asked.append(list(args))
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", recorded)
    return asked


def test_the_state_is_the_commit_and_the_index_asked_of_git_at_once(repo: Path, monkeypatch) -> None:
    import linklint.renames as renames

    asked = _states_asked(monkeypatch)
    assert renames.repository_state(repo) == ("", 0)  # nothing added: no index, no commit
    write_files(repo, {"a.md": BODY})
    git(repo, "add", "a.md")
    assert renames.repository_state(repo) == ("", _index_time(repo))  # an index, no commit
    commit(repo, "add")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert renames.repository_state(repo) == (head, _index_time(repo))
    (repo / "posts").mkdir()
    assert renames.repository_state(repo / "posts") == (head, _index_time(repo))  # from a folder inside
    assert asked == [["git", "-c", "log.showSignature=false", "-c", "core.quotePath=false", *renames._STATE]] * 4
    assert renames.repository_state(repo.parent / "elsewhere") == ("", 0)  # no such folder


def test_no_repository_no_state(tmp_path: Path) -> None:
    import linklint.renames as renames

    assert renames.repository_state(tmp_path) == ("", 0)


def test_a_command_asks_for_the_state_once_at_its_start(repo: Path, monkeypatch) -> None:
    import linklint.renames as renames

    write_files(repo, {"a.md": BODY})
    commit(repo, "add")
    expected = renames.repository_state(repo)
    asked = _states_asked(monkeypatch)
    renames.start_state(repo)
    assert len(asked) == 1  # started, not waited for
    assert renames.repository_state(repo) == expected
    move(repo, "a.md", "b.md")  # the index changes: the command keeps the state it took
    assert renames.repository_state(repo) == expected
    assert renames.repository_state(repo / ".") == expected
    history(repo)
    assert len(asked) == 1
    renames.drop_state(repo)
    assert renames.repository_state(repo) == (expected[0], _index_time(repo)) != expected  # asked anew
    assert len(asked) == 2
    renames.start_state(repo)
    renames.drop_state(repo)  # never taken: Git is stopped and forgotten
    assert not renames._ASKING and not renames._STATES


def test_a_forked_worker_asks_for_a_state_not_taken_yet_itself(repo: Path) -> None:
    import os

    import linklint.renames as renames

    write_files(repo, {"a.md": BODY})
    commit(repo, "add")
    expected = renames.repository_state(repo)
    renames.start_state(repo)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: its answer, then gone
        try:
            os.write(write_end, repr(renames.repository_state(repo)).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as answer:
        assert answer.read().decode() == repr(expected)
    # This process's Git answer is still there for it.
    assert renames.repository_state(repo) == expected
    renames.drop_state(repo)


def test_a_pre_commit_run_with_a_broken_link_asks_git_for_the_state_once(repo: Path, monkeypatch, capsys) -> None:
    import linklint.renames as renames

    write_files(repo, {"watering.md": BODY, "index.md": "# Home\n\nSee [watering](watering.md).\n"})
    commit(repo, "add")
    move(repo, "watering.md", "guides/watering.md")
    monkeypatch.chdir(repo)
    assert main(["check"]) == 1  # fills the cache
    capsys.readouterr()
    renames._HISTORIES.clear()
    started = _git_commands(monkeypatch)
    (repo / "index.md").write_text("# Home\n\nSee [watering](watering.md), weekly.\n", encoding="utf-8")
    assert main(["check", "--format", "json", "index.md"]) == 1
    fixes = [v["fix"]["title"] for v in json.loads(capsys.readouterr().out)["violations"] if v["code"] == "LL003"]
    assert fixes == ["point the link to `guides/watering.md` (`watering.md` was renamed to `guides/watering.md` in Git)"]
    # The top of the work tree, its files, its state, and the rename staged.
    assert started == ["rev-parse", "ls-files", "rev-parse", "diff"]
    assert not renames._ASKING and not renames._STATES  # forgotten when the command ended


# -- fixing links --------------------------------------------------------------------------

BODY = "# Watering\n\nWater deeply, once a week, early in the morning.\n" * 3


def test_a_chain_of_committed_renames(repo: Path, monkeypatch, capsys) -> None:
    write_files(repo, {"watering.md": BODY, "index.md": "# Home\n"})
    commit(repo, "add")
    move(repo, "watering.md", "watering-guide.md")
    commit(repo, "rename")
    (repo / "guides").mkdir()
    move(repo, "watering-guide.md", "guides/watering.md")
    commit(repo, "move")
    write_files(repo, {"index.md": "# Home\n\nSee [watering](watering.md#watering) and [it](/watering.md?x=1).\n"})

    assert fix(repo, monkeypatch) == 0

    assert read(repo, "index.md") == (
        "# Home\n\nSee [watering](guides/watering.md#watering) and [it](/guides/watering.md?x=1).\n"
    )
    out = capsys.readouterr().out
    assert "index.md\n  3:5: LL003 point the link to `guides/watering.md#watering` " in out
    assert "(`watering.md` was renamed to `guides/watering.md` in Git)" in out
    assert "Fixed 2 problems in 1 file." in out


def test_a_rename_in_the_same_commit_as_the_broken_link(repo: Path, monkeypatch) -> None:
    write_files(repo, {"mulch.md": BODY, "post.md": "# Post\n\nNothing yet.\n"})
    commit(repo, "add")
    move(repo, "mulch.md", "mulching.md")
    write_files(repo, {"post.md": "# Post\n\nRead [mulch](mulch.md) first.\n"})
    commit(repo, "rename mulch and link to its old name")

    assert fix(repo, monkeypatch) == 0
    assert read(repo, "post.md") == "# Post\n\nRead [mulch](mulching.md) first.\n"


def test_a_rename_staged_and_not_committed(repo: Path, monkeypatch) -> None:
    write_files(repo, {"posts/mulch.md": BODY, "posts/compost.md": "# Compost\n\nThen [mulch it](mulch.md).\n"})
    commit(repo, "add")
    move(repo, "posts/mulch.md", "mulch.md")

    assert fix(repo, monkeypatch) == 0
    assert read(repo, "posts/compost.md") == "# Compost\n\nThen [mulch it](../mulch.md).\n"


def test_a_page_that_moved_keeps_its_links_to_where_they_led(repo: Path, monkeypatch) -> None:
    write_files(repo, {"posts/a.md": "# A\n\nSee [b](b.md) and [c](../c.md).\n" + BODY, "posts/b.md": BODY, "c.md": "# C\n"})
    commit(repo, "add")
    move(repo, "posts/a.md", "archive/2023/a.md")
    commit(repo, "archive a")

    assert fix(repo, monkeypatch) == 0
    assert read(repo, "archive/2023/a.md").startswith("# A\n\nSee [b](../../posts/b.md) and [c](../../c.md).\n")


def test_history_proves_a_move_that_a_name_alone_cannot(repo: Path, monkeypatch) -> None:
    write_files(repo, {"old/notes.md": BODY, "other/notes.md": "# Other notes\n", "index.md": "# Home\n"})
    commit(repo, "add")
    move(repo, "old/notes.md", "new/notes.md")
    commit(repo, "move")
    write_files(repo, {"index.md": "# Home\n\n[notes](old/notes.md)\n"})

    assert fix(repo, monkeypatch) == 0
    assert read(repo, "index.md") == "# Home\n\n[notes](new/notes.md)\n"


def test_an_ambiguous_history_is_no_proof(repo: Path, monkeypatch, capsys) -> None:
    write_files(repo, {"old.md": BODY, "index.md": "# Home\n"})
    commit(repo, "add")
    move(repo, "old.md", "first.md")
    commit(repo, "first")
    write_files(repo, {"old.md": BODY.replace("Water", "Feed")})
    commit(repo, "old again")
    move(repo, "old.md", "second.md")
    commit(repo, "second")
    write_files(repo, {"index.md": "# Home\n\n[old](old.md)\n"})

    assert fix(repo, monkeypatch) == 1  # the broken link remains an error
    assert read(repo, "index.md") == "# Home\n\n[old](old.md)\n"
    assert "index.md:3:1: LL003" in capsys.readouterr().out


def test_a_renamed_then_deleted_file_falls_back_to_a_unique_name(repo: Path, monkeypatch) -> None:
    write_files(repo, {"seeds.md": BODY, "index.md": "# Home\n"})
    commit(repo, "add")
    move(repo, "seeds.md", "sowing.md")
    commit(repo, "rename")
    git(repo, "rm", "-q", "sowing.md")
    write_files(repo, {"guides/seeds.md": "# Seeds\n", "index.md": "# Home\n\n[seeds](seeds.md)\n"})
    commit(repo, "rewrite")

    assert fix(repo, monkeypatch) == 0
    assert read(repo, "index.md") == "# Home\n\n[seeds](guides/seeds.md)\n"


def test_a_full_run_reads_the_history_while_parsing_and_its_rule_processes_share_it(
    repo: Path, monkeypatch, capsys
) -> None:
    import json
    import os

    import linklint.engine as engine
    import linklint.renames as renames

    pages = {f"p{n:02}.md": f"# Page {n}\n\nSee [watering](watering.md) today.\n" for n in range(40)}
    write_files(repo, {"watering.md": BODY, **pages})
    commit(repo, "add")
    move(repo, "watering.md", "guides/watering.md")
    commit(repo, "move")
    started = _recorded_readings(monkeypatch)

    def not_here(root: Path) -> None:
        raise AssertionError("the rules read the history again")

    asked = repo.parent / "asked"
    consulted = renames._from_history

    def marked(site, source, link, missing):
        with open(asked, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return consulted(site, source, link, missing)

    states = repo.parent / "states"
    state_of = renames.repository_state

    def recorded_state(root: Path):
        with open(states, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return state_of(root)

    monkeypatch.setattr(renames, "read_history", not_here)
    monkeypatch.setattr(renames, "_from_history", marked)
    monkeypatch.setattr(renames, "repository_state", recorded_state)
    monkeypatch.setattr(engine, "RULE_CHUNK", 1)  # tasks enough for both processes
    monkeypatch.chdir(repo)

    assert main(["check", "--no-cache", "--jobs", "2", "--format", "json", "--select", "LL003"]) == 1

    found = json.loads(capsys.readouterr().out)["violations"]
    assert sorted(v["path"] for v in found) == sorted(pages)
    assert {v["fix"]["title"] for v in found} == {
        "point the link to `guides/watering.md` (`watering.md` was renamed to `guides/watering.md` in Git)"
    }
    assert started == [repo]  # read once, while the pages were parsed
    assert len(set(asked.read_text(encoding="utf-8").split())) == 2  # both processes used it
    # Git was asked for the repository's state once, by the reading: not
    # again by each rule process.
    assert states.read_text(encoding="utf-8").split() == [str(os.getpid())]


def _recorded_readings(monkeypatch) -> list[Path]:
    """Every history reading the run starts (early or when a rule asks)."""
    import linklint.renames as renames

    started: list[Path] = []

    class Recorded(renames.HistoryReading):
        def __init__(self, root: Path) -> None:
            started.append(root)
            super().__init__(root)

    monkeypatch.setattr(renames, "HistoryReading", Recorded)
    renames._HISTORIES.clear()
    return started


def _logs_read(monkeypatch) -> list[list[str]]:
    """The arguments of every ``git log`` started."""
    real = subprocess.Popen
    logs: list[list[str]] = []

    def recorded(args, *rest, **options):
        if "log" in args:
            logs.append(list(args[args.index("log") :]))
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", recorded)
    return logs


def test_a_run_without_broken_links_or_on_paths_starts_no_history_reading(repo: Path, monkeypatch) -> None:
    write_files(repo, {"a.md": "# A\n\nSee [b](b.md).\n", "b.md": "# B\n\nSee [a](a.md).\n", "c.md": "# C\n\n[gone](gone.md)\n"})
    commit(repo, "add")
    started = _recorded_readings(monkeypatch)
    monkeypatch.chdir(repo)
    assert main(["check", "--no-cache", "a.md", "b.md"]) == 0  # on paths: the rules read it if they must
    assert main(["check", "--no-cache", "--ignore", "broken-link"]) == 0
    assert started == []
    assert main(["check", "--no-cache", "--select", "broken-link"]) == 1
    assert started == [repo]  # once, while parsing: the rules found it read


def test_a_history_reading_outside_a_repository_starts_no_git(tmp_path: Path) -> None:
    import linklint.renames as renames

    renames._HISTORIES.clear()
    reading = renames.HistoryReading(tmp_path)
    assert reading._log is None and reading._staged is None
    assert reading.finish().origins == {}
    assert history(tmp_path).origins == {}


def _git_commands(monkeypatch) -> list[str]:
    """The Git command (``log``, ``diff`` ...) of every process started."""
    real = subprocess.Popen
    commands: list[str] = []

    def recorded(args, *rest, **options):
        words = [word for word in args[1:] if not word.startswith("-") and "=" not in word]
        commands.append(words[0] if words else "")
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", recorded)
    return commands


def test_a_history_reading_asks_for_the_committed_and_the_staged_renames_at_once(repo: Path, monkeypatch) -> None:
    import linklint.renames as renames

    write_files(repo, {"a.md": BODY, "b.md": BODY})
    commit(repo, "add")
    move(repo, "a.md", "posts/a.md")
    commit(repo, "move a")
    move(repo, "b.md", "posts/b.md")  # staged only
    renames._HISTORIES.clear()
    monkeypatch.setattr(renames, "_STORE", None)
    commands = _git_commands(monkeypatch)
    reading = renames.HistoryReading(repo)
    # Both run beside whatever the caller does next; finishing starts nothing.
    assert sorted(commands) == ["diff", "log", "rev-parse"]
    found = reading.finish()
    assert len(commands) == 3
    assert found.origins == {"posts/a.md": frozenset({"a.md"}), "posts/b.md": frozenset({"b.md"})}


class _Store:
    """A cache's place for the committed renames, in memory."""

    def __init__(self) -> None:
        self.kept: tuple[str, list[tuple[str, str]]] | None = None

    def get_renames(self) -> tuple[str, list[tuple[str, str]]] | None:
        return self.kept

    def put_renames(self, head: str, found: list[tuple[str, str]]) -> None:
        self.kept = (head, found)


def test_committed_renames_already_stored_still_come_with_the_staged_ones(repo: Path, monkeypatch) -> None:
    import linklint.renames as renames

    write_files(repo, {"a.md": BODY, "b.md": BODY})
    commit(repo, "add")
    move(repo, "a.md", "posts/a.md")
    commit(repo, "move a")
    store = _Store()
    monkeypatch.setattr(renames, "_STORE", store)
    renames._HISTORIES.clear()
    assert renames.HistoryReading(repo).finish().origins == {"posts/a.md": frozenset({"a.md"})}
    assert store.kept is not None and store.kept[1] == [("a.md", "posts/a.md")]
    move(repo, "b.md", "posts/b.md")
    commands = _git_commands(monkeypatch)
    reading = renames.HistoryReading(repo)
    assert "log" not in commands and "diff" in commands  # the log is the stored one
    assert reading.finish().origins == {"posts/a.md": frozenset({"a.md"}), "posts/b.md": frozenset({"b.md"})}


def test_nothing_staged_without_an_index(repo: Path, monkeypatch) -> None:
    import linklint.renames as renames

    write_files(repo, {"a.md": BODY})  # never added: Git has no index yet
    renames._HISTORIES.clear()
    commands = _git_commands(monkeypatch)
    reading = renames.HistoryReading(repo)
    assert commands == ["rev-parse"]
    assert reading.finish().origins == {}


def test_the_committed_renames_are_kept_and_only_new_commits_are_read(repo: Path, monkeypatch, capsys) -> None:
    write_files(repo, {"watering.md": BODY, "mulch.md": BODY, "index.md": "# Home\n\n[w](watering.md) [m](mulch.md)\n"})
    commit(repo, "add")
    move(repo, "watering.md", "guides/watering.md")
    commit(repo, "move watering")
    first = git(repo, "rev-parse", "HEAD").strip()
    logs = _logs_read(monkeypatch)
    monkeypatch.chdir(repo)
    proof = "point the link to `guides/{0}` (`{0}` was renamed to `guides/{0}` in Git)"

    def checked() -> list[str]:
        import json

        import linklint.renames as renames

        renames._HISTORIES.clear()  # as a new process would start
        assert main(["check", "--format", "json", "--select", "broken-link"]) == 1
        return [v["fix"]["title"] for v in json.loads(capsys.readouterr().out)["violations"] if v.get("fix")]

    assert proof.format("watering.md") in checked()
    assert logs == [[*renames_log()]]  # the whole log, once
    write_files(repo, {"index.md": "# Home\n\n[w](watering.md) [m](mulch.md) [x](x.md)\n"})
    assert proof.format("watering.md") in checked()
    assert len(logs) == 1  # same commit: the stored renames
    move(repo, "mulch.md", "guides/mulch.md")
    commit(repo, "move mulch")
    second = git(repo, "rev-parse", "HEAD").strip()
    out = checked()
    assert proof.format("watering.md") in out and proof.format("mulch.md") in out
    assert logs[1] == [*renames_log(), f"{first}..{second}"]  # only the commit since
    # A commit that does not descend from the stored one: the whole log again.
    git(repo, "checkout", "-q", "-b", "other", first)
    git(repo, "commit", "-q", "--allow-empty", "-m", "elsewhere")
    out = checked()
    assert proof.format("watering.md") in out and not any("guides/mulch.md" in title for title in out)
    assert logs[2] == [*renames_log()]


def renames_log() -> tuple[str, ...]:
    import linklint.renames as renames

    return renames._LOG


def test_odd_stored_renames_are_not_trusted(tmp_path: Path) -> None:
    from linklint.cache import ParseCache

    cache = ParseCache(tmp_path, "salt")
    assert cache.get_renames() is None
    cache.put_renames("abc", [("a.md", "b.md")])
    assert cache.get_renames() == ("abc", [("a.md", "b.md")])
    for odd in (("abc", [("a.md",)]), ("abc", [["a.md", "b.md"]]), ("abc",), ["abc", []], (1, []), ("abc", [("a.md", 2)])):
        cache._store(cache._renames_key(), odd)
        assert cache.get_renames() is None, odd


def test_a_site_in_a_folder_of_the_repository(repo: Path, monkeypatch) -> None:
    write_files(
        repo,
        {
            "src/main.py": "print()\n",
            "site/.linklint.yaml": "content: .\n",
            "site/posts/a.md": BODY,
            "site/index.md": "# Home\n",
        },
    )
    commit(repo, "add")
    move(repo, "site/posts/a.md", "site/guides/a.md")
    commit(repo, "move")
    write_files(repo, {"site/index.md": "# Home\n\n[a](/posts/a.md)\n"})

    assert fix(repo / "site", monkeypatch) == 0
    assert read(repo, "site/index.md") == "# Home\n\n[a](/guides/a.md)\n"


def test_a_renamed_folder(repo: Path, monkeypatch) -> None:
    write_files(repo, {"guides/a.md": BODY, "guides/b.md": BODY.replace("Water", "Prune"), "index.md": "# Home\n"})
    commit(repo, "add")
    move(repo, "guides", "handbook")
    commit(repo, "rename folder")
    write_files(repo, {"index.md": "# Home\n\nAll [guides](guides/) and [one](guides/b.md).\n"})

    assert fix(repo, monkeypatch) == 0
    assert read(repo, "index.md") == "# Home\n\nAll [guides](handbook/) and [one](handbook/b.md).\n"


def test_only_the_given_paths_are_fixed(repo: Path, monkeypatch) -> None:
    write_files(repo, {"mulch.md": BODY, "a.md": "# A\n", "b.md": "# B\n"})
    commit(repo, "add")
    move(repo, "mulch.md", "mulching.md")
    write_files(repo, {"a.md": "# A\n\n[m](mulch.md)\n", "b.md": "# B\n\n[m](mulch.md)\n"})

    assert fix(repo, monkeypatch, "a.md") == 0
    assert read(repo, "a.md") == "# A\n\n[m](mulching.md)\n"
    assert read(repo, "b.md") == "# B\n\n[m](mulch.md)\n"
