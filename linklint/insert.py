"""New links for a post: the related pages it should link to, the phrase in its
own text that can carry each link, and a call to action when no phrase fits.

The pages come from lemma TF-IDF relevance (``Suggester``: on versioned docs
only pages of the post's own version or of none, never the post's own copies
in other versions); the phrases from
the target's title and headings (``key_phrases``), found in the post's prose by
their lemmas (``PhraseFinder``). ``Document.prose`` holds only plain text
outside headings, code, front matter, HTML, links and emphasis markers, so a
phrase can never land in any of those or run across a ``*`` or ``**``. On top
of that a phrase is refused when it

* lies in a table (tables hold data more often than prose), inside an inline
  HTML element (the text of ``<a href>…</a>``, ``<kbd>``…) or in template
  code (a Liquid ``{% comment %}`` block, a ``{% … %}`` or ``{{ … }}`` tag),
* contains characters that would change the Markdown around it (``[ ] \\ ` < >``),
  or follows ``!`` (the link would become an image),
* shares no distinctive term with the target (one of its most heavily weighted
  terms that it also repeats: "actually works" in a title says nothing about
  the page; for a landing page, named by the site's owner, once is enough),
* is in the titles of several pages ("GitHub Actions" in thirty titles names a
  topic, not the one page a link would lead to),
* or says nothing on its own ("read more", "this post").

A phrase taken from one of the target's headings rather than its title links
to that heading (``page.md#section``). For a landing page a single word of its
title can carry the link too ("newsletter"); for other pages single words were
wrong far too often ("doubled" for a post on double form submissions).

Among the phrases that remain, a key phrase wins over a single title word; then
the first one in a body paragraph wins over one in a list or quote; a phrase
other posts already use for the same target comes
after one that varies the anchor text. One post gets at most one new link per
target.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from linklint.linkedit import escape_link_text, new_destination
from linklint.model import Document, Edit

if TYPE_CHECKING:
    from linklint.site import Site
    from linklint.suggest import Suggester

# How many of the most related pages are searched for a phrase; the window
# includes pages already linked, so it does not move as links are added.
RELATED_POOL = 20
# A phrase must contain one of this many of the target's heaviest terms.
DISTINCTIVE_TERMS = 15
# The relevance floor: the share of sampled pages whose best match is below it,
# and how many pages are sampled to measure it.
FLOOR_QUANTILE = 0.3
FLOOR_SAMPLE = 200
# A phrase found in the titles of this many pages names a topic, not a page.
SHARED_TITLES = 3
# A single title word can carry a link to a landing page when it is one of
# this many heaviest terms of the page.
SINGLE_WORD_TERMS = 3

PLACES = ("end", "after-first-paragraph")

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_BAD_CHARS = frozenset("[]\\`<>")
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Placement:
    """Where a new link to ``target`` can go: the phrase and its place."""

    target: str
    phrase: str
    start: int
    end: int
    line: int
    column: int
    tier: int  # 0 body paragraph, 1 list item or quote
    fragment: str | None = None  # the heading the phrase names, when it names one


# -- where prose sits ---------------------------------------------------------------------


def _tiers(doc: Document) -> dict[int, tuple[int, int]]:
    """For each body line (1-based) of a paragraph (not in a table or heading):
    its tier and the first line of its block."""
    from linklint.fix import block_parser, markdown_body

    parser = block_parser()
    normal = markdown_body(doc.text)
    out: dict[int, tuple[int, int]] = {}
    stack: list[str] = []
    for token in parser.parse(normal):
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type != "inline" or not token.map:
            continue
        if any(t in ("th_open", "td_open") for t in stack):
            # Tables in posts hold data far more often than prose: on a real
            # site, phrases found in table cells were names in result rows.
            continue
        if any(t in ("list_item_open", "blockquote_open") for t in stack):
            tier = 1
        elif stack and stack[-1] == "paragraph_open":
            tier = 0
        else:
            continue  # headings and anything else: no new links there
        first, end = token.map
        for line in range(first, end):
            out[line + 1] = (tier, first + 1)
    return out


def _inside_html(doc: Document, block_start: int, offset: int) -> bool:
    """Whether an inline HTML element opened earlier in the block is still open
    at ``offset``."""
    open_tags: list[str] = []
    for match in _TAG.finditer(doc.text, block_start, offset):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
        else:
            open_tags.append(name)
    return bool(open_tags)


# The template blocks whose text is never shown as written (`{% comment
# %}…{% endcomment %}`, `{% raw %}`, a `{% capture %}` kept for later).
_UNSHOWN_BLOCKS = ("comment", "raw", "capture")


def _template_spans(text: str) -> list[tuple[int, int]]:
    """Where the page's text is template code, not prose: a phrase there
    would carry a link no reader sees (Liquid's comments hold sentences)."""
    if "{" not in text:
        return []
    from linklint.sites.generator import template_blocks
    from linklint.slugs import TEMPLATE_TAG

    spans = [(start, end) for start, end, _ in template_blocks(text, _UNSHOWN_BLOCKS)]
    return spans + [match.span() for match in TEMPLATE_TAG.finditer(text)]


def _page_slug(path: str) -> str:
    """The name a page's file gives it: ``no-dig-beds`` for
    ``posts/no-dig-beds.md``, the folder's name for an index page."""
    folder, name = path.rsplit("/", 1) if "/" in path else ("", path)
    stem = name.rsplit(".", 1)[0]
    if stem.lower() in ("index", "_index", "readme") and folder:
        return folder.rsplit("/", 1)[-1]
    return stem


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_END.finditer(text)]


# -- phrases ------------------------------------------------------------------------------


class PhraseSearch:
    """Finds, in one post, the phrases that can carry a link to each target."""

    def __init__(self, site: Site, suggester: Suggester, source: str, *, landing: bool = False) -> None:
        """``landing``: the targets are landing pages, named by the site's
        owner and usually short: a title word they use once is enough (for
        other pages, a word must be repeated), and a single title word may
        carry the link."""
        self.site = site
        self.landing = landing
        self.min_count = 1 if landing else 2
        self.suggester = suggester
        self.source = source
        self.doc = site.documents[source]
        self.language = getattr(site.config, "language", "en") or "en"
        # (target, word): phrases that are one title word, tried after the
        # real key phrases of the target.
        self.single_words: set[tuple[str, str]] = set()
        # (target, phrase) -> id of the heading the phrase comes from.
        self.fragments: dict[tuple[str, str], str] = {}

    def _phrases(self, target: str) -> list[str]:
        """The phrases that may carry a link to ``target``; the same for every
        post, so computed once per run (with the sections they name)."""
        key = ("insert-phrases", target, self.landing)
        cached = self.suggester.memo.get(key)
        if cached is None:
            fragments_before = set(self.fragments)
            words_before = set(self.single_words)
            phrases = self._compute_phrases(target)
            cached = self.suggester.memo[key] = (
                phrases,
                {k: v for k, v in self.fragments.items() if k not in fragments_before},
                self.single_words - words_before,
            )
        phrases, fragments, words = cached  # type: ignore[misc]
        self.fragments.update(fragments)
        self.single_words.update(words)
        return list(phrases)

    def _compute_phrases(self, target: str) -> list[str]:
        from linklint.nlp import key_phrases, normalise_anchor

        doc = self.site.documents[target]
        top = self.suggester.index.top_terms(target, 50)
        weights = Counter({term: weight for term, weight in top})
        title = self.site.title(target)
        phrases = key_phrases(title, [h.text for h in doc.headings], weights, language=self.language)
        # A phrase that comes from a heading, not the title, names a section:
        # the link goes there.
        from_title = {normalise_anchor(p, language=self.language) for p in key_phrases(title, [], weights, language=self.language)}
        ids = self.site.heading_id_list(target)
        headings = [(normalise_anchor(h.text, language=self.language), i) for h, i in zip(doc.headings, ids)]
        for phrase in phrases:
            key = normalise_anchor(phrase, language=self.language)
            if key in from_title:
                continue
            for heading, heading_id in headings:
                if f" {key} " in f" {heading} ":
                    self.fragments[(target, phrase)] = heading_id
                    break
        if not self.landing:
            # A phrase in the titles of several pages ("GitHub Actions") names
            # a topic, not this page: linking it here would be arbitrary.
            titles = _TitleIndex.of(self.site, self.suggester, self.language)
            own = normalise_anchor(title, language=self.language)
            phrases = [
                p
                for p in phrases
                if normalise_anchor(p, language=self.language) == own
                or titles.count(normalise_anchor(p, language=self.language)) < SHARED_TITLES
            ]
        if self.landing:
            phrases.extend(self._title_words(target, title, top))
        return phrases

    def _title_words(self, target: str, title: str, top: list[tuple[str, float]]) -> list[str]:
        """Single title words that can carry a link to a landing page alone
        ("newsletter" for "The Fieldnotes newsletter"; key phrases start at
        two words): one of the page's few heaviest terms that its file name
        says too. Part of a hyphenated word ("no-dig") never stands alone."""
        from linklint.nlp import lemmas, tokens

        words: list[str] = []
        heaviest = {term for term, _ in top[:SINGLE_WORD_TERMS]}
        slug = set(lemmas(_page_slug(target).replace("-", " ").replace("_", " "), language=self.language))
        found = tokens(title, self.language)
        for i, (start, end, lemma, _) in enumerate(found):
            text = title[start:end]
            hyphenated = (i > 0 and title[found[i - 1][0] : start] == "-") or (
                i + 1 < len(found) and title[end : found[i + 1][1]] == "-"
            )
            if lemma in heaviest and lemma in slug and not hyphenated and text not in words:
                words.append(text)
                self.single_words.add((target, text))
        return words

    def placements(self, targets: Sequence[str]) -> dict[str, list[Placement]]:
        """Every acceptable placement per target, best first."""
        from linklint.nlp import GENERIC_ANCHORS, PhraseFinder, lemmas, normalise_anchor

        if not targets or not self.doc.prose:
            return {}
        finder = PhraseFinder([(t, p) for t in targets for p in self._phrases(t)], language=self.language)
        found = finder.find(self.doc.prose)
        tiers = _tiers(self.doc)
        starts = _line_starts(self.doc.text)
        text = self.doc.text
        unrendered = _template_spans(text)
        overused = self._overused_anchors(targets)
        out: dict[str, list[Placement]] = {}
        for target, matches in found.items():
            distinctive = self._distinctive(target)
            ranked: list[tuple[tuple, Placement]] = []
            for match in matches:
                prose = self.doc.prose[match.prose_index]
                where = tiers.get(prose.span.line)
                if where is None or prose.in_heading:
                    continue
                tier, block_line = where
                phrase = match.text
                if not phrase.strip() or _BAD_CHARS & set(phrase):
                    continue
                before = text[match.start - 1] if match.start else ""
                after = text[match.end] if match.end < len(text) else ""
                if before in ("!", "\\", "[", "]") or after == "]":
                    continue
                if before == "-" or after == "-" or before.isalnum() or after.isalnum():
                    continue  # part of a longer word ("comma-separated values")
                if _inside_html(self.doc, starts[block_line - 1], match.start):
                    continue
                if any(a <= match.start < b for a, b in unrendered):
                    continue  # in a template's comment or tag: never shown
                words = set(lemmas(phrase, language=self.language))
                if not words & distinctive:
                    continue
                key = normalise_anchor(phrase, language=self.language)
                if key in GENERIC_ANCHORS:
                    continue
                line = prose.span.line
                column = match.start - starts[line - 1] + 1
                fragment = self.fragments.get((target, match.phrase))
                placement = Placement(target, phrase, match.start, match.end, line, column, tier, fragment)
                single = (target, match.phrase) in self.single_words
                ranked.append(((single, tier, key in overused.get(target, ()), match.start), placement))
            if ranked:
                out[target] = [p for _, p in sorted(ranked, key=lambda item: item[0])]
        return out

    def _distinctive(self, target: str) -> set[str]:
        """The terms a phrase must use one of: among the target's heaviest, and
        used at least ``min_count`` times in it. A word of the title that the
        page never repeats ("actually", "works") says little about it."""
        counts = self._counts(target)
        top = self.suggester.index.top_terms(target, DISTINCTIVE_TERMS)
        return {term for term, _ in top if counts.get(term, 0) >= self.min_count}

    def _counts(self, target: str) -> dict[str, int]:
        # The suggester counted every page's terms to build its index.
        counts = self.suggester.term_counts(target)
        if counts is None:
            from linklint.nlp import content_terms
            from linklint.terms import relevance_text

            counts = Counter(content_terms(relevance_text(self.site.documents[target]), language=self.language))
        return counts

    def _overused_anchors(self, targets: Sequence[str]) -> dict[str, set[str]]:
        """Anchor texts (normalised) that two or more other pages already use
        for each target: a new link should say something else first."""
        from linklint.nlp import normalise_anchor

        out: dict[str, set[str]] = {}
        for target in targets:
            counts = Counter(
                normalise_anchor(edge.text, language=self.language)
                for edge in self.site.inbound.get(target, ())
                if edge.source != self.source and edge.text.strip()
            )
            out[target] = {text for text, n in counts.items() if n >= 2}
        return out

    def choose(self, targets: Sequence[str], count: int) -> list[Placement]:
        """Up to ``count`` placements for the first targets (in the given order)
        that have one, never two on overlapping text."""
        chosen: list[Placement] = []
        if count <= 0:
            return chosen
        options = self.placements(targets)
        for target in targets:
            for placement in options.get(target, ()):
                if all(placement.end <= c.start or c.end <= placement.start for c in chosen):
                    chosen.append(placement)
                    break
            if len(chosen) >= count:
                break
        return chosen


class _TitleIndex:
    """The normalised titles of a site's pages, to count how many pages a
    phrase names. Built once per suggestion engine (one per run)."""

    _built: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, titles: list[str]) -> None:
        self.titles = [f" {t} " for t in titles if t]
        self.counts: dict[str, int] = {}

    @classmethod
    def of(cls, site: Site, suggester: Suggester, language: str) -> _TitleIndex:
        index = cls._built.get(suggester)
        if index is None:
            from linklint.nlp import normalise_anchor

            titles = [normalise_anchor(site.title(p), language=language) for p in sorted(suggester.candidates())]
            index = cls._built[suggester] = cls(titles)
        return index

    def count(self, key: str) -> int:
        found = self.counts.get(key)
        if found is None:
            needle = f" {key} "
            found = self.counts[key] = sum(1 for t in self.titles if needle in t) if key else 0
        return found


# -- fixes --------------------------------------------------------------------------------


def related_targets(site: Site, suggester: Suggester, source: str, exclude: set[str]) -> list[str]:
    """The pages most related to ``source`` (within ``RELATED_POOL``), minus
    ``exclude``, most related first."""
    pool = suggester.targets_for(source)
    if source not in suggester.index or not pool:
        return []
    ranked = suggester.index.related(source, RELATED_POOL, candidates=pool)
    floor = relevance_floor(suggester)
    return [page for page, score in ranked if page not in exclude and score >= floor]


_FLOORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def relevance_floor(suggester: Suggester) -> float:
    """How related a page must be to get a link inserted: the score that 70 %
    of the site's pages reach with their best match (from a sample of up to
    ``FLOOR_SAMPLE`` pages). Scores depend on the site (a site of short pages
    on one topic scores lower than one of long pages on many), so the floor
    is measured, not fixed. On a real site, links to pages below it were
    mostly ones a writer would refuse ("SQLite database" to one of forty
    SQLite posts)."""
    floor = _FLOORS.get(suggester)
    if floor is None:
        pages = sorted(suggester.candidates())
        step = max(1, len(pages) // FLOOR_SAMPLE)
        best = []
        for page in pages[::step]:
            if page in suggester.index:
                top = suggester.index.related(page, 1, exclude=suggester.versions_of(page), candidates=suggester.pool_for(page))
                if top:
                    best.append(top[0][1])
        floor = sorted(best)[int(len(best) * FLOOR_QUANTILE)] if len(best) >= 10 else 0.0
        _FLOORS[suggester] = floor
    return floor


def link_edits(site: Site, source: str, placements: Sequence[Placement]) -> list[tuple[Edit, Placement, str]]:
    """One edit per placement: the phrase becomes the text of a link written in
    the post's own style; placements whose target cannot be written are
    dropped."""
    from linklint.linkedit import encode_path

    out = []
    for placement in placements:
        destination = new_destination(site, source, placement.target)
        if destination is None:
            continue
        if placement.fragment:
            destination += "#" + encode_path(placement.fragment)
        edit = Edit(placement.start, placement.end, f"[{placement.phrase}]({destination})")
        out.append((edit, placement, destination))
    return out


def landing_order(site: Site, suggester: Suggester, source: str) -> list[str]:
    """The landing pages a post could link to, most related first; pages that
    share no term with the post follow in their configured order."""
    landing = [p for p in site.landing_pages if p != source and not site.is_draft(p)]
    if not landing:
        return []
    ranked: list[str] = []
    if source in suggester.index:
        ranked = [p for p, _ in suggester.index.related(source, len(landing), candidates=set(landing))]
    return ranked + [p for p in landing if p not in ranked]


def eol_of(text: str) -> str:
    """The file's line ending (its first one), ``\\n`` for a one-line file."""
    match = _LINE_END.search(text)
    return match.group() if match else "\n"


def call_to_action(doc: Document, template: str, title: str, destination: str, place: str) -> Edit | None:
    """An edit that adds the call to action as a paragraph of its own, at the
    end of the post or after its first paragraph."""
    if not template.strip() or not doc.text.strip():
        return None
    eol = eol_of(doc.text)
    snippet = template.strip().replace("{title}", escape_link_text(title)).replace("{link}", destination)
    snippet = _LINE_END.sub(eol, snippet)
    if place == "after-first-paragraph":
        edit = _after_first_paragraph(doc, snippet, eol)
        if edit is not None:
            return edit
    text = doc.text
    lines = _LINE_END.split(text)
    if text.endswith(("\n", "\r")):
        if len(lines) >= 2 and not lines[-2].strip():
            return Edit(len(text), len(text), snippet + eol)  # already ends with a blank line
        return Edit(len(text), len(text), eol + snippet + eol)
    # No final line ending: keep it that way.
    return Edit(len(text), len(text), eol + eol + snippet)


def _after_first_paragraph(doc: Document, snippet: str, eol: str) -> Edit | None:
    tiers = _tiers(doc)
    starts = _line_starts(doc.text)
    first = min((line for line, (tier, block) in tiers.items() if tier == 0 and line == block), default=None)
    if first is None:
        return None
    end = first
    while tiers.get(end + 1, (None, None))[1] == first:
        end += 1
    if end >= len(starts) or starts[end] >= len(doc.text):
        return None  # the paragraph ends the file: the end is the same place
    following = doc.text[starts[end] : starts[end + 1] if end + 1 < len(starts) else len(doc.text)]
    blank_after = "" if not following.strip() else eol
    return Edit(starts[end], starts[end], eol + snippet + eol + blank_after)


# -- ranking for `linklint suggest` ---------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A page one post could link to, for ``linklint suggest``."""

    target: str
    title: str
    score: float
    linked: bool
    landing: bool
    link: str
    phrase: str | None = None
    line: int | None = None
    column: int | None = None

    def as_json(self) -> dict:
        return {
            "target": self.target,
            "title": self.title,
            "score": round(self.score, 4),
            "linked": self.linked,
            "landing_page": self.landing,
            "link": self.link,
            "phrase": self.phrase,
            "line": self.line,
            "column": self.column,
        }


def rank_targets(site: Site, source: str, limit: int) -> list[Candidate]:
    """The ``limit`` pages most related to ``source``, linked or not, each with
    the best phrase in it that could carry a link."""
    from linklint.linkedit import candidate_paths, house_style
    from linklint.suggest import Suggester

    suggester = Suggester(site)
    if source not in suggester.index:
        return []
    pool = suggester.targets_for(source)
    ranked = suggester.index.related(source, limit, candidates=pool)
    linked = site.outbound_pages(source)
    options = PhraseSearch(site, suggester, source).placements([p for p, _ in ranked])
    out = []
    for target, score in ranked:
        best = options.get(target, [None])[0]
        link = new_destination(site, source, target) or candidate_paths(site, source, target, house_style(site, source))[0]
        out.append(
            Candidate(
                target,
                site.title(target),
                score,
                target in linked,
                site.is_landing_page(target),
                link,
                best.phrase if best else None,
                best.line if best else None,
                best.column if best else None,
            )
        )
    return out
