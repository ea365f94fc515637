"""Time linklint's "did you mean" lookup on a site's file names.

    python bench/did_you_mean.py SITE [--queries 2000] [--seed 1]

The names are the file names Git tracks in SITE (as ``linklint check`` sees
them); each query is one of them with one character changed, as a typo or a
renamed file gives. Printed: the time to build the trigram index, and per
query the shortlist alone and the whole lookup (shortlist + difflib), against
``difflib.get_close_matches`` over every name (the baseline, on the first
``--baseline`` queries: it takes a third of a second each at 10,000 names),
measured in the same run. The answers of the two are compared too:
the shortlist keeps difflib's best answer.
"""

from __future__ import annotations

import argparse
import difflib
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from linklint.names import NameIndex  # noqa: E402


def _names(site: Path) -> list[str]:
    listed = subprocess.run(["git", "-C", str(site), "ls-files", "-z"], capture_output=True, check=True).stdout
    return [path.rsplit("/", 1)[-1] for path in listed.decode("utf-8", "replace").split("\0") if path]


def _typos(names: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        name = rng.choice(names)
        at = rng.randrange(len(name))
        out.append(name[:at] + rng.choice("abcxyz-") + name[at + 1 :])
    return out


def _per_query_ms(lookup, queries: list[str]) -> float:
    started = time.perf_counter()
    for query in queries:
        lookup(query)
    return (time.perf_counter() - started) / len(queries) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", type=int, default=20)
    args = parser.parse_args()

    names = _names(args.site)
    queries = _typos(sorted(set(names)), args.queries, args.seed)
    started = time.perf_counter()
    index = NameIndex(names)
    index.shortlist(queries[0])  # builds the index
    build = time.perf_counter() - started
    shortlist = _per_query_ms(index.shortlist, queries)
    lookup = _per_query_ms(lambda q: index.close_matches(q, 3, 0.6), queries)
    every = index.names
    few = queries[: max(1, args.baseline)]
    baseline = _per_query_ms(lambda q: difflib.get_close_matches(q, every, 3, 0.6), few)
    same = sum(index.close_matches(q, 3, 0.6)[:1] == difflib.get_close_matches(q, every, 3, 0.6)[:1] for q in few)

    print(f"{len(index.names)} names, {len(queries)} queries (seed {args.seed})")
    print(f"index build (first lookup):       {build:8.3f} s")
    print(f"shortlist per query:              {shortlist:8.3f} ms")
    print(f"lookup per query (with difflib):  {lookup:8.3f} ms")
    print(f"difflib over every name:          {baseline:8.3f} ms  ({baseline / lookup:.0f}x the lookup)")
    print(f"same best answer as difflib:      {same} of {len(few)}")


if __name__ == "__main__":
    main()
