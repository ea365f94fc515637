"""Suggestions: the closest existing names for a broken link or anchor, and the
pages (with a phrase to carry the link) that a post could link to.

Relevance needs lemmas, and lemmas need spaCy, which takes about a second to
import: the ``Suggester`` builds its index only when the first suggestion that
needs it is asked for, so a run with no LL001/LL002/LL007 finding never loads
spaCy.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from linklint.cache import ParseCache
    from linklint.nlp import PhraseFinder
    from linklint.relevance import RelevanceIndex
    from linklint.site import Site


def closest(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The ``n`` candidates most like ``word``; an exact case-insensitive match
    comes first."""
    pool = sorted(set(candidates))
    folded = [c for c in pool if c.lower() == word.lower() and c != word]
    rest = difflib.get_close_matches(word, pool, n=n, cutoff=cutoff)
    if rest:
        # Keep only the candidates about as close as the best one: a list that
        # goes on to weak matches hides the right answer.
        best = _ratio(word, rest[0])
        rest = [c for c in rest if _ratio(word, c) >= best - 0.1]
    out = folded + [c for c in rest if c not in folded and c != word]
    return out[:n]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def closest_paths(missing: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Existing files most like a missing path: by file name first (a moved file
    keeps its name), then by whole path (a renamed file keeps its folder)."""
    pool = sorted(set(candidates))
    by_name: dict[str, list[str]] = {}
    for path in pool:
        by_name.setdefault(posixpath.basename(path), []).append(path)
    name = posixpath.basename(missing)
    stem = posixpath.splitext(name)[0]
    found: list[str] = []
    for match in closest(name, by_name, n=n, cutoff=0.6):
        found.extend(sorted(by_name[match], key=lambda p: _distance(p, missing)))
    # Names that differ only by extension (`a.html` for `a.md`).
    for path in pool:
        if posixpath.splitext(posixpath.basename(path))[0] == stem and path not in found:
            found.append(path)
    if not found:
        # A renamed file in a moved folder: compare whole paths, but only with
        # files of the same kind (comparing with every file is slow on big sites).
        extension = posixpath.splitext(missing)[1].lower()
        same_kind = [p for p in pool if posixpath.splitext(p)[1].lower() == extension]
        found = difflib.get_close_matches(missing, same_kind, n=n, cutoff=0.8)
    return found[:n]


def _distance(a: str, b: str) -> float:
    return -_ratio(a, b)


def relative_link(source: str, target: str) -> str:
    """How ``source`` would write a relative link to ``target``."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


@dataclass(frozen=True)
class LinkIdea:
    """A page worth linking to from a post, and where the link could go."""

    target: str
    score: float
    phrase: str | None = None
    line: int | None = None

    def describe(self, source: str, title: str) -> str:
        link = relative_link(source, self.target)
        if self.phrase is not None:
            return f"link “{self.phrase}” (line {self.line}) to `{link}` ({title})"
        return f"link to `{link}` ({title})"


class Suggester:
    """Relevance between the pages of one site, built on first use."""

    def __init__(self, site: Site, cache: ParseCache | None = None) -> None:
        self.site = site
        self.cache = cache  # lemmatising is the slow part: its results are cached per text
        self._index: RelevanceIndex | None = None
        self._terms: dict[str, dict[str, int]] = {}
        self._finders: dict[str, PhraseFinder] = {}
        self._closest: dict[tuple[str, int], list[str]] = {}
        # Values derived from one page that other pages' suggestions and fixes
        # ask for again and again in one run (key phrases of a target …).
        self.memo: dict[tuple, object] = {}

    def _page_text(self, path: str) -> str:
        doc = self.site.documents[path]
        parts = [self.site.title(path)]
        parts.extend(h.text for h in doc.headings)
        parts.extend(p.text for p in doc.prose)
        return "\n".join(parts)

    @property
    def index(self) -> RelevanceIndex:
        if self._index is None:
            from collections import Counter

            from linklint.nlp import content_terms
            from linklint.relevance import RelevanceIndex

            language = self.site.config.language
            for path in sorted(self.site.documents):
                text = self._page_text(path)
                terms = self.cache.get_terms(text, language) if self.cache is not None else None
                if terms is None:
                    terms = dict(Counter(content_terms(text, language=language)))
                    if self.cache is not None:
                        self.cache.put_terms(text, terms, language)
                self._terms[path] = terms
            self._index = RelevanceIndex(self._terms)
        return self._index

    def closest_files(self, missing: str, n: int = 3) -> list[str]:
        """``closest_paths`` over the site's files, remembered: one missing page
        is usually linked from many pages."""
        key = (missing, n)
        found = self._closest.get(key)
        if found is None:
            found = self._closest[key] = closest_paths(missing, self.site.inventory.files, n)
        return found

    def candidates(self) -> list[str]:
        """Pages a link may be suggested to: published, not drafts."""
        return [p for p in self.site.documents if not self.site.is_draft(p)]

    def ideas(
        self,
        source: str,
        k: int,
        *,
        exclude: Sequence[str] = (),
        candidates: Sequence[str] | None = None,
    ) -> list[LinkIdea]:
        """The ``k`` pages most related to ``source`` that it does not link to
        yet, each with the first phrase in ``source`` that could carry the link."""
        if k <= 0:
            return []
        pool = set(self.candidates() if candidates is None else candidates)
        pool.discard(source)
        pool.difference_update(exclude)
        if not pool:
            return []
        ranked = self.index.related(source, k, candidates=pool)
        return [self.idea_from(source, target, score) for target, score in ranked]

    def idea_from(self, source: str, target: str, score: float) -> LinkIdea:
        from linklint.nlp import PhraseFinder, key_phrases

        from collections import Counter

        site = self.site
        doc = site.documents[target]
        finder = self._finders.get(target)
        if finder is None:
            phrases = key_phrases(
                site.title(target), [h.text for h in doc.headings], Counter(self._terms.get(target, {}))
            )
            finder = self._finders[target] = PhraseFinder([(target, p) for p in phrases])
        source_doc = site.documents[source]
        first = finder.first(source_doc.prose)
        if first is not None:
            return LinkIdea(target, score, first.text, source_doc.prose[first.prose_index].span.line)
        return LinkIdea(target, score)
