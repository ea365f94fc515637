"""Large name indexes ("did you mean") kept in the cache and read back."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import linklint.names as names_module
from linklint.cache import ParseCache
from linklint.cli import main
from linklint.names import NameIndex, _names_key
from tests.site_helpers import write_settled

ARRAYS = ("_grams", "_starts", "_postings", "_sizes", "_name_grams", "_name_starts")


class MemoryStore:
    """The two calls ``linklint.names`` makes of a cache, in memory."""

    def __init__(self) -> None:
        self.slots: dict[str, object] = {}
        self.puts = 0

    def get_name_index(self, slot: str) -> object:
        return self.slots.get(slot)

    def put_name_index(self, slot: str, key: str, arrays: tuple) -> None:
        self.puts += 1
        self.slots[slot] = (key, arrays)


def _names(seed: int, count: int = 400) -> set[str]:
    rng = random.Random(seed)
    words = ["soil", "compost", "tomato", "seed", "saving", "winter", "garden", "pruning", "roses", "bëds"]
    return {"-".join(rng.sample(words, rng.randint(2, 4))) + f"-{rng.randint(0, 99)}.md" for _ in range(count)}


QUERIES = ["tomato-seed-3.md", "winter-gardn-roses.md", "pruning_roses.md", "bëds-soil-12.md", "x.md", ""]


@pytest.fixture
def store(monkeypatch) -> MemoryStore:
    memory = MemoryStore()
    monkeypatch.setattr(names_module, "STORED_MIN_NAMES", 50)
    monkeypatch.setattr(names_module, "_STORE", memory)
    return memory


def _answers(index: NameIndex) -> list:
    return [(index.shortlist(word), index.close_matches(word, 3, 0.6)) for word in QUERIES]


def _not_built(monkeypatch) -> None:
    def refuse(self) -> None:
        raise AssertionError("built, not read")

    monkeypatch.setattr(NameIndex, "_build", refuse)


def test_an_index_read_back_answers_as_the_one_built(store: MemoryStore, monkeypatch) -> None:
    names = _names(1)
    fresh = _answers(NameIndex(names))  # no slot: built, not stored
    assert store.puts == 0
    built = NameIndex(names, stored_as="file names")
    assert _answers(built) == fresh
    assert store.puts == 1 and list(store.slots) == ["file names"]
    _not_built(monkeypatch)
    read = NameIndex(names, stored_as="file names")
    assert _answers(read) == fresh
    for name in ARRAYS:
        ours, theirs = getattr(read, name), getattr(built, name)
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)
    assert store.puts == 1


def test_other_names_in_the_slot_are_built_and_replace_it(store: MemoryStore) -> None:
    NameIndex(_names(1), stored_as="file names").shortlist("soil")
    other = _names(2)
    index = NameIndex(other, stored_as="file names")
    assert _answers(index) == _answers(NameIndex(other))
    assert store.puts == 2 and store.slots["file names"][0] == _names_key(sorted(other))


def test_a_small_index_is_not_stored(store: MemoryStore) -> None:
    NameIndex(set(sorted(_names(1))[:49]), stored_as="file names").shortlist("soil")
    assert store.slots == {}


def _damaged(kind: str, stored: tuple) -> object:
    key, parts = stored
    parts = list(parts)
    if kind == "nothing":
        return None
    if kind == "not a pair":
        return (key,)
    if kind == "another key":
        return ("0" * 40, tuple(parts))
    if kind == "an array missing":
        return (key, tuple(parts[:-1]))
    if kind == "another type":
        parts[2] = ("<i8", parts[2][1] + parts[2][1])
    elif kind == "a broken length":
        parts[0] = (parts[0][0], parts[0][1][:-3])
    elif kind == "postings cut short":
        parts[2] = (parts[2][0], parts[2][1][:-4])
        parts[4] = (parts[4][0], parts[4][1][:-4])
    elif kind == "a name out of range":
        postings = np.frombuffer(parts[2][1], dtype="<i4").copy()
        postings[-1] = 10**6
        parts[2] = (parts[2][0], postings.tobytes())
    elif kind == "a trigram out of range":
        grams = np.frombuffer(parts[4][1], dtype="<i4").copy()
        grams[0] = -1
        parts[4] = (parts[4][0], grams.tobytes())
    elif kind == "sizes that disagree":
        sizes = np.frombuffer(parts[3][1], dtype="<i8").copy()
        sizes[0] += 1
        sizes[1] -= 1 if sizes[1] > 0 else -1
        parts[3] = (parts[3][0], sizes.tobytes())
    elif kind == "starts out of order":
        starts = np.frombuffer(parts[1][1], dtype="<i8").copy()
        starts[1], starts[2] = starts[2], starts[1]
        parts[1] = (parts[1][0], starts.tobytes())
    elif kind == "a name too many":
        # Consistent in itself: only the count of names tells it apart.
        parts[3] = (parts[3][0], parts[3][1] + np.zeros(1, dtype="<i8").tobytes())
        parts[5] = (parts[5][0], parts[5][1] + parts[5][1][-8:])
    elif kind == "text for bytes":
        parts[0] = (parts[0][0], "abc")
    return (key, tuple(parts))


DAMAGE = [
    "nothing", "not a pair", "another key", "an array missing", "another type", "a broken length",
    "postings cut short", "a name out of range", "a trigram out of range", "sizes that disagree",
    "starts out of order", "a name too many", "text for bytes",
]  # fmt: skip


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_stored_index_is_built_anew(store: MemoryStore, kind: str) -> None:
    names = _names(3)
    NameIndex(names, stored_as="file names").shortlist("soil")
    store.slots["file names"] = _damaged(kind, store.slots["file names"])  # type: ignore[arg-type]
    index = NameIndex(names, stored_as="file names")
    assert _answers(index) == _answers(NameIndex(names))
    assert store.puts == 2  # built, and stored whole again


def test_a_pre_commit_run_reads_the_index_a_whole_run_stored(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(names_module, "STORED_MIN_NAMES", 20)
    files = {f"posts/winter-pruning-notes-{n}.md": f"# Notes {n}\n\nSee [the index](../index.md).\n" for n in range(30)}
    files["index.md"] = "# Home\n\nRead [pruning](posts/winter-prunning-notes-7.md) first.\n"
    write_settled(tmp_path, files, 1_600_000_000)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    builds: list[str | None] = []
    real_build = NameIndex._build

    def counted(self) -> None:
        builds.append(self._stored_as)
        real_build(self)

    monkeypatch.setattr(NameIndex, "_build", counted)
    assert main(["check", "--format", "json"]) == 1
    stored_run = json.loads(capsys.readouterr().out)
    assert "file names" in builds  # and a folder's, never stored
    assert ParseCache(tmp_path, salt="").is_empty() is False
    (tmp_path / "index.md").write_text(files["index.md"] + "\nMore soon.\n", encoding="utf-8")
    builds.clear()
    assert main(["check", "--format", "json", "index.md"]) == 1
    pre_commit = json.loads(capsys.readouterr().out)
    assert builds == [None]  # the folder's index; that of every file name was read
    assert main(["check", "--format", "json", "--no-cache", "index.md"]) == 1
    assert json.loads(capsys.readouterr().out) == pre_commit
    broken = [v for v in pre_commit["violations"] if v["code"] == "LL003"]
    assert [(v["path"], v["line"], v["column"], v["suggestions"]) for v in broken] == [
        ("index.md", 3, 6, [f"did you mean `posts/winter-pruning-notes-{n}.md`?" for n in (7, 27, 17)])
    ]
    assert stored_run["summary"]["errors"] == 1
