"""Language work: lemmas, content terms, anchor-text normalisation and phrase search.

No trained spaCy model is needed (none can be assumed on a writer's machine or in
CI): the pipeline is ``spacy.blank(language)`` plus a lemmatizer driven by the
``lemma_lookup`` table of spacy-lookups-data. That table is case-sensitive and
only knows lower-case forms, so the lemmatizer here looks words up by their
lower-case form ("Links" → "link") and, for English, guesses the singular of
plurals the table does not know ("URLs" → "url"). Every lemma is lower-case, so
comparing lemmas compares text case-insensitively.

spaCy takes about half a second to import (see ``_import_spacy``). It is
imported only inside the functions that need it, so importing this module (and
running rules that never need lemmas) stays cheap. ``GENERIC_ANCHORS`` is
computed on first access for the same reason.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Iterator, Optional, Sequence

from linklint.model import Prose

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.lexeme import Lexeme
    from spacy.tokens import Doc, Token

__all__ = [
    "GENERIC_ANCHORS",
    "GENERIC_ANCHOR_PHRASES",
    "Match",
    "PhraseFinder",
    "content_terms",
    "get_nlp",
    "key_phrases",
    "lemmas",
    "normalise_anchor",
]

_COMPONENT = "linklint_lemmatizer"

# The tokenizer works on one text at a time; long texts are cut at a space
# into pieces of about this many characters, which also keeps spaCy's
# ``max_length`` guard (one million characters) out of the way.
_CHUNK = 100_000

# Unknown English words ending in "s" that are not plurals of another word
# ("news" must not become "new"). Words ending in "ss", "us", "sis" and "xis"
# ("class", "status", "analysis", "axis") are kept as they are by rule.
_NOT_PLURAL = frozenset({"news", "series", "species", "means", "physics", "https"})
_NOT_PLURAL_ENDINGS = ("ss", "us", "sis", "xis")


# --------------------------------------------------------------------------- pipeline


def get_nlp(language: str = "en") -> Language:
    """The shared blank pipeline for ``language`` with the lower-case lookup
    lemmatizer. Built once per process (with the import, about 0.6 s) and cached."""
    return _build_nlp(language)


@functools.lru_cache(maxsize=None)
def _build_nlp(language: str) -> Language:
    # Cached here rather than on get_nlp: lru_cache keys get_nlp() and
    # get_nlp("en") differently and would build two pipelines.
    spacy = _import_spacy()
    _register_component()
    nlp = spacy.blank(language)
    nlp.add_pipe(_COMPONENT)
    nlp.initialize()
    return nlp


def _import_spacy() -> Any:
    """``import spacy``, without its command line.

    The package imports ``spacy.cli`` (typer, rich, weasel and more: about 0.4
    s, a third of the import and half of a pre-commit run's wait for spaCy)
    only to offer ``spacy.info``. Stand-ins for ``spacy.cli`` and
    ``spacy.cli.info`` are in place while spaCy imports and are removed
    afterwards, so a later ``import spacy.cli`` in the same process gets the
    real one; ``spacy.info`` imports it when called. A spaCy that wants more of
    its command line at import time is imported the ordinary way."""
    import sys
    import types

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so that ``spacy.cli.info`` can be found
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:
        for name in [*stand_ins, *(n for n in sys.modules if n == "spacy" or n.startswith("spacy."))]:
            sys.modules.pop(name, None)
        stand_ins = {}
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli
    return spacy


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _register_component() -> None:
    """Register the lemmatizer factory with spaCy (once: the registry is global)."""
    from spacy.language import Language

    if not Language.has_factory(_COMPONENT):
        Language.factory(_COMPONENT, func=_make_lemmatizer)


def _make_lemmatizer(nlp: Language, name: str) -> LowerLookupLemmatizer:
    return LowerLookupLemmatizer(nlp, name)


class LowerLookupLemmatizer:
    """spaCy's lookup lemmatizer, looking up the lower-case form first.

    spaCy's own ``Lemmatizer(mode="lookup")`` looks up ``token.text`` only, so a
    capitalised word ("Linking", at the start of a sentence or in a title) keeps
    its inflection and no longer matches the same word in running text. This
    component uses the same table (``lemma_lookup`` from spacy-lookups-data) on
    ``token.lower_`` first and the text as written second, follows the table until the lemma stops
    changing (it maps "better" → "well" → "good"; following it makes lemmatising
    idempotent, so normalised texts are fixed points), and guesses English
    plurals the table does not know. Results are cached per written form: the
    set of distinct words is small next to the number of tokens.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lang = nlp.lang
        self.strings = nlp.vocab.strings
        self.stop_words: frozenset[str] = frozenset(nlp.Defaults.stop_words)
        self.table: Any = {}
        self.cache: dict[int, int] = {}  # hash of the written form -> hash of its lemma
        self.lemmas: dict[str, str] = {}  # written form -> lemma
        # Per filter of ``_lemmas_where``: a whitespace-separated piece of text
        # -> the lemmas of its tokens the filter keeps.
        self.kept: dict[Any, dict[str, tuple[str, ...]]] = {}

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        from spacy.util import load_language_data, registry

        # What ``spacy.lookups.load_lookups(strict=False)`` reads, kept as a
        # plain dict: building spaCy's ``Table`` of 40,000 entries took 0.08 s
        # of every load, and a dict answers faster. A language without a
        # lookup table gets lower-cased words.
        files = registry.lookups.get(self.lang) if self.lang in registry.lookups else {}
        self.table = dict(load_language_data(files["lemma_lookup"])) if "lemma_lookup" in files else {}
        self.cache.clear()
        self.lemmas.clear()
        self.kept.clear()

    def __call__(self, doc: Doc) -> Doc:
        cache = self.cache
        for token in doc:
            key = token.orth
            lemma = cache.get(key)
            if lemma is None:
                lemma = self.strings.add(self.lemmatize(token.text))
                cache[key] = lemma
            token.lemma = lemma
        return doc

    def lemmatize(self, word: str) -> str:
        """The lower-case lemma of a word as written (remembered: the table is
        slow to ask, and the same words come back all the time)."""
        lemma = self.lemmas.get(word)
        if lemma is None:
            lemma = self.lemmas[word] = self._lemmatize(word)
        return lemma

    def _lemmatize(self, word: str) -> str:
        table = self.table
        lower = word.lower()
        if lower in table:
            lemma = lower
        elif word in table:
            # Tables of other languages list some forms capitalised (German
            # nouns: "Häuser" → "Haus"); lower-case first, as written second.
            lemma = word
        elif self.lang == "en":
            lemma = self._english_singular(lower)
        else:
            lemma = lower
        # Bounded, so a cycle in the table cannot hang the run.
        for _ in range(4):
            following = table.get(lemma, lemma)
            if following == lemma:
                break
            lemma = following
        return lemma.lower()

    def _english_singular(self, word: str) -> str:
        """Strip the "s" of a plural the table does not know: mostly technical
        words and acronyms ("urls", "apis", "webhooks"). A guess, kept narrow:
        stop words, short words, a few listed words and the endings in
        ``_NOT_PLURAL_ENDINGS`` are left alone. A wrong guess costs little:
        the same word is lemmatised the same way everywhere."""
        if (
            len(word) < 4
            or not word.endswith("s")
            or word.endswith(_NOT_PLURAL_ENDINGS)
            or not word.isalpha()
            or word in self.stop_words
            or word in _NOT_PLURAL
        ):
            return word
        return word[:-1]


# --------------------------------------------------------------------------- lemmas


def _docs(text: str, language: str) -> Iterator[Doc]:
    """The text through the pipeline, in pieces cut at spaces.

    Line breaks become spaces first (same length, so offsets hold): a newline
    early in a text stops the tokenizer's cache and slows it down a lot.
    """
    text = text.replace("\r", " ").replace("\n", " ")
    yield from get_nlp(language).pipe(_chunks(text))


def _chunks(text: str, size: int = _CHUNK) -> Iterator[str]:
    start = 0
    while len(text) - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        if cut < 0:  # no space at all: cut anyway, one word may be split
            cut = start + size
        yield text[start:cut]
        start = cut
    yield text[start:]


def _is_word(token: Token) -> bool:
    """A token with at least one letter or digit: drops punctuation, symbols,
    arrows, emoji and whitespace. (``is_alpha`` is a precomputed flag and
    answers for most tokens, so the character scan is rare.)"""
    return token.is_alpha or any(ch.isalnum() for ch in token.text)


def lemmas(text: str, *, language: str = "en") -> list[str]:
    """The lower-case lemmas of the word tokens of ``text``, in order."""
    return _lemmas_where(text, language, _word_lemma)


def _is_content(token: Token, stop_words: frozenset[str]) -> bool:
    """A word that says what a text is about: not a stop word (as written or as
    lemma: "calls" → "call"), not a number, URL or e-mail address, at least two
    characters and at least one letter."""
    lemma = token.lemma_
    return (
        len(lemma) > 1
        and not token.is_stop
        and lemma not in stop_words
        and not token.like_num
        and not token.like_url
        and not token.like_email
        and any(ch.isalpha() for ch in lemma)
    )


def content_terms(text: str, *, language: str = "en") -> list[str]:
    """The lemmas relevance counts: ``lemmas`` without stop words, numbers,
    punctuation and one-character words."""
    return _lemmas_where(text, language, _content_lemma)


def _word_lemma(lexeme: Lexeme, lemma: str, stop_words: frozenset[str]) -> str | None:
    """``lemma`` when the word passes ``_is_word``, else None."""
    return lemma if lexeme.is_alpha or any(ch.isalnum() for ch in lexeme.orth_) else None


def _content_lemma(lexeme: Lexeme, lemma: str, stop_words: frozenset[str]) -> str | None:
    """``lemma`` when the word passes ``_is_content``, else None."""
    keep = (
        len(lemma) > 1
        and not lexeme.is_stop
        and lemma not in stop_words
        and not lexeme.like_num
        and not lexeme.like_url
        and not lexeme.like_email
        and any(ch.isalpha() for ch in lemma)
    )
    return lemma if keep else None


_LemmaFilter = Callable[["Lexeme", str, frozenset], Optional[str]]


def _lemmas_where(text: str, language: str, choose: _LemmaFilter) -> list[str]:
    """The lemmas of the tokens ``choose`` keeps, in order.

    The hot path of a cold run: every word of every page. spaCy's tokenizer
    cuts text at whitespace first and splits each piece on its own (prefixes,
    suffixes, infixes, exceptions), and whether a token is kept and its lemma
    depend on its written form alone (lexeme flags, the lemma table). So the
    kept lemmas of each whitespace-separated piece are worked out once and
    remembered: the same tokens and answers as ``_is_word``/``_is_content``
    on the full pipeline, for a dictionary lookup per word instead of a
    tokenizer pass (about 4 ms for a typical post).
    """
    nlp = get_nlp(language)
    lemmatizer = nlp.get_pipe(_COMPONENT)
    memo = lemmatizer.kept.setdefault(choose, {})
    pieces = text.split()
    unseen = [piece for piece in dict.fromkeys(pieces) if piece not in memo]
    if unseen:
        memo.update(_kept_lemmas(nlp, lemmatizer, unseen, choose))
    out: list[str] = []
    for piece in pieces:
        out.extend(memo[piece])
    return out


def _kept_lemmas(
    nlp: Language, lemmatizer: LowerLookupLemmatizer, pieces: list[str], choose: _LemmaFilter, batch_size: int = _CHUNK
) -> dict[str, tuple[str, ...]]:
    """The kept lemmas of each piece (text without whitespace). The pieces go
    through the tokenizer joined by single spaces, a few thousand at a time:
    it splits at spaces before anything else, so each piece gets the tokens it
    would get alone, without the cost of a ``Doc`` per piece."""
    from spacy.attrs import IDX, ORTH

    vocab = nlp.vocab
    out: dict[str, tuple[str, ...]] = {}
    for batch in _batches(pieces, batch_size):
        ends = list(accumulate(map(len, batch)))
        joined = " ".join(batch)
        kept: list[str] = []
        index = 0  # of the piece the next token belongs to
        for orth, idx in nlp.tokenizer(joined).to_array([ORTH, IDX]).tolist():
            while idx >= ends[index] + index:  # the token lies in a later piece
                out[batch[index]] = tuple(kept)
                kept = []
                index += 1
            lexeme = vocab[orth]
            lemma = choose(lexeme, lemmatizer.lemmatize(lexeme.orth_), lemmatizer.stop_words)
            if lemma is not None:
                kept.append(lemma)
        out[batch[index]] = tuple(kept)
        for rest in batch[index + 1 :]:  # pieces with no token at all
            out[rest] = ()
    return out


def _batches(pieces: list[str], size: int) -> Iterator[list[str]]:
    """The pieces in runs of about ``size`` characters."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece) + 1
        if length >= size:
            yield batch
            batch, length = [], 0
    if batch:
        yield batch


def _stop_words(language: str) -> frozenset[str]:
    return get_nlp(language).get_pipe(_COMPONENT).stop_words


def normalise_anchor(text: str, *, language: str = "en") -> str:
    """The canonical form of a link text, to compare texts: lower-case lemmas
    joined by one space, punctuation dropped. "Internal Links!" and
    "internal link" both give "internal link". Idempotent.

    Remembered per text: a site's anchor texts are compared again for every
    page that links to the same target, and the forms known from earlier runs
    (``remember_anchors``, from the cache) spare loading spaCy when a run has
    only known texts to compare."""
    key = (text, language)
    found = _ANCHORS.get(key)
    if found is None:
        found = _ANCHORS[key] = " ".join(lemmas(text, language=language))
        _LEARNED.append(key)
    return found


# (text, language) -> normalised text, and the keys worked out in this process
# since ``learned_anchors`` last handed them over.
_ANCHORS: dict[tuple[str, str], str] = {}
_LEARNED: list[tuple[str, str]] = []


def remember_anchors(known: dict[str, dict[str, str]]) -> None:
    """Normalised anchor texts per language from an earlier run (same
    linklint, same language packages): ``normalise_anchor`` answers them
    without spaCy."""
    for language, texts in known.items():
        for text, normalised in texts.items():
            _ANCHORS.setdefault((text, language), normalised)


def learned_anchors() -> dict[str, dict[str, str]]:
    """The texts normalised in this process since the last call, per language
    (worker processes hand theirs to the parent this way)."""
    out: dict[str, dict[str, str]] = {}
    for text, language in _LEARNED:
        out.setdefault(language, {})[text] = _ANCHORS[(text, language)]
    _LEARNED.clear()
    return out


def known_anchors(keep: Callable[[str], bool]) -> dict[str, dict[str, str]]:
    """Every normalised form known, per language, for the texts ``keep``
    accepts: what is worth storing for the next run."""
    out: dict[str, dict[str, str]] = {}
    for (text, language), normalised in _ANCHORS.items():
        if keep(text):
            out.setdefault(language, {})[text] = normalised
    return out


# English link texts that say nothing about their target, as people write them.
# ``GENERIC_ANCHORS`` holds their normalised forms.
GENERIC_ANCHOR_PHRASES: tuple[str, ...] = (
    "click here",
    "click",
    "here",
    "there",
    "this",
    "that",
    "it",
    "read more",
    "read",
    "more",
    "more info",
    "more information",
    "learn more",
    "find out more",
    "see more",
    "see here",
    "see",
    "go",
    "go here",
    "continue",
    "continue reading",
    "this post",
    "this article",
    "this page",
    "this link",
    "this guide",
    "link",
    "page",
    "post",
    "article",
    "website",
    "site",
    "details",
    "check it out",
    "check this out",
)


def __getattr__(name: str) -> Any:
    # PEP 562: GENERIC_ANCHORS needs the lemmatizer, hence spaCy; compute it on
    # first use instead of at import time.
    if name == "GENERIC_ANCHORS":
        value = frozenset(normalise_anchor(p) for p in GENERIC_ANCHOR_PHRASES)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- phrases


@dataclass(frozen=True, slots=True)
class Match:
    """One place where a phrase occurs: ``start``/``end`` are offsets in the
    document's text (``prose[prose_index].span.start`` plus the offset in the
    prose text) and ``text`` is the source text found there."""

    key: Hashable
    phrase: str
    prose_index: int
    start: int
    end: int
    text: str


# Letters of a lemma a matching word must contain (see PhraseFinder.needles).
_NEEDLE = 5


@functools.lru_cache(maxsize=50_000)
def _prepared_pattern(phrase: str, language: str) -> tuple[Doc, tuple[frozenset[str], ...]] | None:
    """A phrase as a PhraseMatcher pattern (punctuation at the ends dropped) and
    its needles, or None for a phrase of stop words only. Cached: the same
    titles and headings are looked for in post after post."""
    nlp = get_nlp(language)
    stop_words = _stop_words(language)
    doc = nlp(phrase.replace("\r", " ").replace("\n", " "))
    words = [i for i, token in enumerate(doc) if _is_word(token)]
    if not words or not any(_is_content(doc[i], stop_words) for i in words):
        return None
    pattern = doc[words[0] : words[-1] + 1].as_doc()
    needles = tuple(
        frozenset({t.lemma_[:_NEEDLE], t.lower_[:_NEEDLE]}) for t in pattern if _is_content(t, stop_words)
    )
    return pattern, needles


class PhraseFinder:
    """Finds phrases in prose by their lemmas, case-insensitively: a page titled
    "Internal Linking Strategy" is found in "our internal link strategy".

    Built from ``(key, phrase)`` pairs (a key is typically the target page's
    path). Punctuation at either end of a phrase is ignored, and a phrase made
    only of stop words and punctuation ("this", "Why?") is skipped: it could
    carry a link to anything.
    """

    def __init__(self, phrases: Iterable[tuple[Hashable, str]], *, language: str = "en") -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = get_nlp(language)
        self.language = language
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.entries: dict[int, tuple[Hashable, str]] = {}  # match id -> (key, phrase)
        # Per pattern, the first letters of its content lemmas: a prose item that
        # lacks any of them cannot match, so it is never tokenised. Inflection
        # keeps the start of a word ("linking" → "link"), which is what makes
        # this safe, and tokenising is most of the cost of matching.
        self.needles: list[tuple[frozenset[str], ...]] = []
        for number, (key, phrase) in enumerate(phrases):
            prepared = _prepared_pattern(phrase, language)
            if prepared is None:
                continue
            pattern, needles = prepared
            label = f"linklint-phrase-{number}"
            self.matcher.add(label, [pattern])
            self.entries[self.nlp.vocab.strings[label]] = (key, phrase)
            self.needles.append(needles)

    def __len__(self) -> int:
        return len(self.entries)

    def _candidates(self, prose: Sequence[Prose]) -> list[int]:
        """Indexes of the prose items that contain the first word of some
        pattern, in order: found with ``str.find`` over the whole page rather
        than by testing every item against every pattern."""
        lowered = [item.text.lower() for item in prose]
        joined = "\n".join(lowered)
        starts = []
        offset = 0
        for text in lowered:
            starts.append(offset)
            offset += len(text) + 1
        found: set[int] = set()
        for needles in self.needles:
            if not needles:
                continue
            for needle in needles[0]:
                at = joined.find(needle)
                while at >= 0:
                    index = bisect.bisect_right(starts, at) - 1
                    found.add(index)
                    # Continue after this item: one hit per item is enough.
                    at = joined.find(needle, starts[index] + len(lowered[index]) + 1)
        return sorted(found)

    def _may_match(self, text: str) -> bool:
        lowered = text.lower()
        return any(
            all(any(n in lowered for n in word) for word in needles) for needles in self.needles
        )

    def find(
        self, prose: Sequence[Prose], *, include_headings: bool = False
    ) -> dict[Hashable, list[Match]]:
        """Matches per key, in document order. Each match lies within one prose
        item (never across two). For one key, longer matches win and matches do
        not overlap; matches for different keys may overlap. Keys without a
        match are absent."""
        if not self.entries:
            return {}
        found: dict[Hashable, list[Match]] = {}
        indexes = [
            i
            for i in self._candidates(prose)
            if (include_headings or not prose[i].in_heading) and self._may_match(prose[i].text)
        ]
        texts = (prose[i].text.replace("\r", " ").replace("\n", " ") for i in indexes)
        for index, doc in zip(indexes, self.nlp.pipe(texts)):
            item = prose[index]
            for match_id, start, end in self.matcher(doc):
                key, phrase = self.entries[match_id]
                first, last = doc[start], doc[end - 1]
                begin, stop = first.idx, last.idx + len(last.text)
                found.setdefault(key, []).append(
                    Match(key, phrase, index, item.span.start + begin, item.span.start + stop, item.text[begin:stop])
                )
        return {key: _without_overlaps(matches) for key, matches in found.items()}


    def first(self, prose: Sequence[Prose], *, include_headings: bool = False) -> Match | None:
        """The first match in document order (the longest where several start
        together). Stops at the first prose item that has one, so on long pages
        it tokenises little."""
        if not self.entries:
            return None
        for index in self._candidates(prose):
            item = prose[index]
            if (item.in_heading and not include_headings) or not self._may_match(item.text):
                continue
            doc = _prose_doc(item.text, self.language)
            matches = []
            for match_id, start, end in self.matcher(doc):
                key, phrase = self.entries[match_id]
                first, last = doc[start], doc[end - 1]
                begin, stop = first.idx, last.idx + len(last.text)
                matches.append(
                    Match(key, phrase, index, item.span.start + begin, item.span.start + stop, item.text[begin:stop])
                )
            if matches:
                return min(matches, key=lambda m: (m.start, -(m.end - m.start)))
        return None


@functools.lru_cache(maxsize=4096)
def _prose_doc(text: str, language: str) -> Doc:
    """A prose item through the pipeline, remembered: a post is searched for
    the phrases of each page suggested to it, one page after another."""
    return get_nlp(language)(text.replace("\r", " ").replace("\n", " "))


def _without_overlaps(matches: list[Match]) -> list[Match]:
    """Keep the longest matches, then the earliest, dropping any that overlaps
    one already kept; return them in document order."""
    kept: list[Match] = []
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.phrase)):
        if all(match.end <= other.start or other.end <= match.start for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))


# --------------------------------------------------------------------------- key phrases


def key_phrases(
    title: str, headings: Sequence[str], terms: Counter[str] | None = None, *, language: str = "en"
) -> list[str]:
    """Phrases in another post that could carry a link to a page, longest first.

    - the title as written;
    - the title without stop words (and punctuation) at either end
      ("How to Write Alt Text" → "Write Alt Text");
    - every run of 2–4 consecutive content words in the title
      ("Internal Linking Strategy" → "Internal Linking", "Linking Strategy");
    - each heading, trimmed the same way, when it has at least two content
      words (a one-word heading such as "Conclusion" says too little).

    Phrases with the same normalised form are given once (the first kept).
    Longest means most words; among phrases of equal length, those whose words
    the page uses most (``terms``: its content-term counts) come first, then
    the order above. Phrase texts keep the source's case and spacing.
    """
    terms = terms if terms is not None else Counter()
    nlp = get_nlp(language)
    stop_words = _stop_words(language)
    candidates: list[tuple[str, Doc]] = []

    title_doc = nlp(title.replace("\r", " ").replace("\n", " "))
    candidates.append((title.strip(), title_doc))
    candidates.extend(_trimmed(title_doc, stop_words))
    candidates.extend(_runs(title_doc, stop_words))
    for heading in headings:
        heading_doc = nlp(heading.replace("\r", " ").replace("\n", " "))
        if sum(_is_content(t, stop_words) for t in heading_doc) >= 2:
            candidates.extend(_trimmed(heading_doc, stop_words))

    ranked: list[tuple[int, int, int, str]] = []
    seen: set[str] = set()
    for order, (text, doc) in enumerate(candidates):
        words = [t for t in doc if _is_word(t)]
        key = " ".join(t.lemma_ for t in words)
        if not text or not key or key in seen:
            continue
        seen.add(key)
        weight = sum(terms.get(t.lemma_, 0) for t in words if _is_content(t, stop_words))
        ranked.append((-len(words), -weight, order, text))
    return [text for *_, text in sorted(ranked)]


def _source_text(doc: Doc, start: int, end: int) -> str:
    """The source text of tokens ``[start, end)``, internal spacing kept."""
    return doc.text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1].text)]


def _trimmed(doc: Doc, stop_words: frozenset[str]) -> list[tuple[str, Doc]]:
    """The text without non-content tokens at either end (nothing if no content
    word is left)."""
    content = [i for i, token in enumerate(doc) if _is_content(token, stop_words)]
    if not content:
        return []
    start, end = content[0], content[-1] + 1
    return [(_source_text(doc, start, end), doc[start:end].as_doc())]


def _runs(doc: Doc, stop_words: frozenset[str]) -> list[tuple[str, Doc]]:
    """Every window of 2–4 consecutive content words (a stop word, number or
    punctuation mark ends a run), longest windows first."""
    runs: list[list[int]] = [[]]
    for i, token in enumerate(doc):
        if _is_content(token, stop_words):
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    out: list[tuple[str, Doc]] = []
    for size in (4, 3, 2):
        for run in runs:
            for first in range(len(run) - size + 1):
                start, end = run[first], run[first + size - 1] + 1
                out.append((_source_text(doc, start, end), doc[start:end].as_doc()))
    return out
