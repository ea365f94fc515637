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
computed on first access for the same reason. Tokens, lemmas and phrase
matches are worked out here from ``linklint.lexicon``, which keeps what the
tokenizer and the lemmatizer said in earlier runs: spaCy is loaded only for
text with words the lexicon does not know, and for English not at all while
``linklint.english`` holds the installed spaCy's English as data.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import os
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Iterator, Mapping, Optional, Sequence

from linklint.lexicon import CONTENT, WORD, Entry, Lexicon, Rules, Token, affix_length
from linklint.model import Prose, prose_in_heading, prose_texts
from linklint.workshare import share_news

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.lexeme import Lexeme
    from spacy.tokens import Doc

__all__ = [
    "GENERIC_ANCHORS",
    "GENERIC_ANCHOR_PHRASES",
    "Match",
    "PhraseFinder",
    "content_term_counts",
    "content_terms",
    "get_nlp",
    "key_phrases",
    "lemmas",
    "normalise_anchor",
    "tokens",
]

_COMPONENT = "linklint_lemmatizer"

# Pieces of text go through the tokenizer joined by spaces, about this many
# characters at a time (well below spaCy's ``max_length`` guard of one million).
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
    _only_attributes_read(nlp)
    nlp.add_pipe(_COMPONENT)
    nlp.initialize()
    _learn_language(lexicon(language), nlp)
    _BUILT.add(language)
    return nlp


# The lexeme attributes linklint reads (``_entry``), by their names in
# ``spacy.attrs``.
_ATTRIBUTES_READ = ("IS_ALPHA", "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")


def _only_attributes_read(nlp: Language) -> None:
    """Have the vocabulary work out only the lexeme attributes linklint reads.

    spaCy works out some twenty attributes for each word its vocabulary
    meets for the first time (shape, prefix, suffix, case flags ...), each a
    Python function, and a cold run meets tens of thousands of new words
    (21,500 on kubernetes/community: its term counting 1.9–2.05 s with
    every getter, 1.6–1.7 s with these).
    The others stay at spaCy's defaults (0, False, ""); this pipeline is
    linklint's own, and nothing here reads them."""
    from spacy import attrs

    wanted = {getattr(attrs, name) for name in _ATTRIBUTES_READ}
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getter for attr, getter in getters.items() if attr in wanted}


def _learn_language(known: Lexicon, nlp: Language) -> None:
    """What a lexicon keeps of a loaded pipeline: its tokenizer's rules, its
    stop words and, for English, the words that are numbers."""
    if known.rules is None:
        known.rules = Rules.of(nlp.tokenizer)
    if known.stop_words is None:
        known.stop_words = nlp.get_pipe(_COMPONENT).stop_words
        known.number_words = _number_words(nlp)
    _set_guess(known, nlp.lang)


def _number_words(nlp: Language) -> frozenset[str] | None:
    """The words English ``like_num`` calls numbers ("one", "first"): of a
    word of letters only, that is all it asks. None for other languages, or
    if spaCy's English attributes are not what this expects."""
    if nlp.lang != "en":
        return None
    from spacy.attrs import LIKE_NUM
    from spacy.lang.en import lex_attrs

    words = frozenset(getattr(lex_attrs, "_num_words", ())) | frozenset(getattr(lex_attrs, "_ordinal_words", ()))
    used = nlp.vocab.lex_attr_getters.get(LIKE_NUM)
    if used is not lex_attrs.like_num or not words or not all(used(word) for word in words):
        return None
    return words


def _learn_english(known: Lexicon, language: str) -> None:
    """What a lexicon keeps of spaCy's English, from ``linklint.english``
    when it was written from the installed spaCy: with it, no English text
    needs spaCy loaded (see ``_set_guess``)."""
    if language != "en":
        return
    from linklint import english

    found = english.data()
    if found is None:
        return
    if known.rules is None:
        known.rules = Rules(dict(found.PATTERNS), dict(found.SPECIALS), None, dict(found.RETOKENISED))
        known.rules.keep_code = _STORED_LEXICON is not None  # a run without the cache stores nothing
    if known.stop_words is None:
        known.stop_words = frozenset(found.STOP_WORDS)
        known.number_words = frozenset(found.NUMBER_WORDS)


def _set_guess(known: Lexicon, language: str) -> None:
    """Let the lexicon give entries to written forms never seen, English
    only. A word of letters or digits has plain lexeme attributes (a word; a
    stop word if its lower case is one; a number if it is digits or a number
    word; never a URL or e-mail address); any other form gets spaCy's
    ``like_num``, ``like_url`` and ``like_email`` as ``linklint.english``
    follows them, when that was written from the installed spaCy. The lemma
    comes from the lookup table, read from spacy-lookups-data without spaCy
    (about 0.05 s, once)."""
    if language != "en" or known.stop_words is None or known.number_words is None or known.guess is not None:
        return
    from linklint import english

    stop_words, number_words = known.stop_words, known.number_words
    attributes = english.attributes()

    def guess(text: str) -> Entry | None:
        digits = text.isdigit()
        plain = digits or text.isalpha()
        if not plain and attributes is None:
            return None
        table = _lemma_table(language)
        if table is None:
            return None
        lemma = lookup_lemma(text, table, language, stop_words)
        lower = text.lower()
        if plain:
            word, like_num, like_url, like_email = True, digits or lower in number_words, False, False
        else:
            assert attributes is not None
            word = any(ch.isalnum() for ch in text)  # as ``_word_lemma`` asks
            like_num, like_url = attributes.like_num(text), attributes.like_url(text)
            like_email = attributes.like_email(text)
        says = _says_something(
            lemma, stop_words, is_stop=lower in stop_words, like_num=like_num, like_url=like_url, like_email=like_email
        )
        return lemma, (WORD if word else 0) | (CONTENT if says else 0)

    known.guess = guess


@functools.lru_cache(maxsize=None)
def _lemma_table(language: str) -> dict[str, str] | None:
    """The ``lemma_lookup`` table spaCy's pipeline reads (see
    ``LowerLookupLemmatizer.initialize``), read as spaCy's
    ``load_language_data`` reads it, or None if it cannot be."""
    import gzip
    import json

    try:
        name = _lemma_table_path(language)
        if name is None:
            return None
        if os.path.exists(name):
            data = json.loads(open(name, "rb").read())
        else:
            data = json.loads(gzip.decompress(open(name + ".gz", "rb").read()))
    except Exception:  # noqa: BLE001 - no table, no guess: spaCy answers
        return None
    return data if isinstance(data, dict) else None


def _lemma_table_path(language: str) -> str | None:
    """Where spacy-lookups-data keeps the language's ``lemma_lookup`` table
    (the path spaCy's lookups registry gives, perhaps with ``.gz`` added on
    disk), or None."""
    try:
        import spacy_lookups_data

        return str(getattr(spacy_lookups_data, language)["lemma_lookup"])
    except Exception:  # noqa: BLE001 - no package or no table for the language
        return None


# Languages whose pipeline this process has built.
_BUILT: set[str] = set()


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

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        from spacy.util import load_language_data, registry

        # What ``spacy.lookups.load_lookups(strict=False)`` reads, kept as a
        # plain dict: building spaCy's ``Table`` of 40,000 entries took 0.08 s
        # of every load, and a dict answers faster. A language without a
        # lookup table gets lower-cased words.
        files = registry.lookups.get(self.lang) if self.lang in registry.lookups else {}
        if "lemma_lookup" not in files:
            self.table = {}
        elif str(files["lemma_lookup"]) == _lemma_table_path(self.lang) and (read := _lemma_table(self.lang)) is not None:
            # The file the lexicon's guesses read before spaCy loaded: one
            # dict of it per process (about 10 ms and 8 MB less per load).
            self.table = read
        else:
            self.table = dict(load_language_data(files["lemma_lookup"]))
        self.cache.clear()
        self.lemmas.clear()

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
        return lookup_lemma(word, self.table, self.lang, self.stop_words)


def lookup_lemma(word: str, table: Mapping[str, str], language: str, stop_words: frozenset[str]) -> str:
    """The lower-case lemma of ``word`` by the lemma lookup ``table`` (see
    ``LowerLookupLemmatizer``)."""
    lower = word.lower()
    if lower in table:
        lemma = lower
    elif word in table:
        # Tables of other languages list some forms capitalised (German
        # nouns: "Häuser" → "Haus"); lower-case first, as written second.
        lemma = word
    elif language == "en":
        lemma = _english_singular(lower, stop_words)
    else:
        lemma = lower
    # Bounded, so a cycle in the table cannot hang the run.
    for _ in range(4):
        following = table.get(lemma, lemma)
        if following == lemma:
            break
        lemma = following
    return lemma.lower()


def _english_singular(word: str, stop_words: frozenset[str]) -> str:
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
        or word in stop_words
        or word in _NOT_PLURAL
    ):
        return word
    return word[:-1]


# --------------------------------------------------------------------------- tokens

# The lexicon of each language in this process (see ``linklint.lexicon``), and
# where the lexicon of earlier runs is read from (set by the run).
_LEXICONS: dict[str, Lexicon] = {}
_STORED_LEXICON: Callable[[str], Optional[Lexicon]] | None = None
_STORE: object = None  # which store that is (the cache's folder)
_PIECE = re.compile(r"\S+")  # ``\s`` is ``str.isspace``, as for ``str.split`` and spaCy


def use_stored_lexicon(load: Callable[[str], Optional[Lexicon]] | None, where: object = None) -> None:
    """Where the lexicon of earlier runs comes from (read on first use, once
    per language), or None for nowhere. ``where`` names the store: a run on
    another one starts from what that one holds."""
    global _STORED_LEXICON, _STORE
    if where != _STORE:
        _LEXICONS.clear()
        _STORE = where
    _STORED_LEXICON = load


def lexicon(language: str) -> Lexicon:
    """This process's lexicon for ``language``."""
    found = _LEXICONS.get(language)
    if found is None:
        found = _STORED_LEXICON(language) if _STORED_LEXICON is not None else None
        if found is None:
            found = Lexicon()
        if language in _BUILT:
            _learn_language(found, get_nlp(language))
        else:
            _learn_english(found, language)
            _set_guess(found, language)
        _LEXICONS[language] = found
    return found


def learned_words() -> dict[str, dict[str, Entry]]:
    """The written forms learned in this process since the last call, per
    language (worker processes hand theirs to the parent this way)."""
    out = {}
    for language, known in _LEXICONS.items():
        new = known.take_new()
        if new:
            out[language] = new
    return out


def worked_out_rules() -> set[str]:
    """The languages whose tokenizer rules worked out in this process what
    their stored lexicon lacks (``Rules.worked_out``: compiled code, cases)."""
    return {language for language, known in _LEXICONS.items() if known.rules is not None and known.rules.worked_out}


def add_learned_words(learned: dict[str, dict[str, Entry]]) -> None:
    """Written forms a worker process learned."""
    for language, words in learned.items():
        lexicon(language).add_words(words)


def _forget_news() -> None:
    # A forked worker reports what it learns itself, not what its parent had.
    for known in _LEXICONS.values():
        known.new_words = {}
    _LEARNED.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_news)


def _piece_tokens(pieces: Iterable[str], language: str) -> dict[str, tuple[Token, ...]]:
    """The tokens of each piece (text without whitespace) as spaCy's tokenizer
    cuts it, with lemmas and flags: from the lexicon where it can tell them,
    else from the pipeline (loading spaCy), which teaches the lexicon."""
    known = lexicon(language)
    loaded = language in _BUILT
    tokenizer = get_nlp(language).tokenizer if loaded and known.rules is not None and known.rules.usable else None
    # A word with a mark before or after it is told by the tokenizer's own
    # searches: spaCy's with the pipeline loaded, else the rules' (the same
    # patterns), made when first needed.
    searches: Any = tokenizer
    searches_made = loaded
    out: dict[str, tuple[Token, ...]] = {}
    unknown: list[str] = []
    for piece in pieces:
        tokens = known.pieces.get(piece)
        if tokens is None:
            tokens = known.whole_word(piece)
        if tokens is None:
            if not searches_made:
                searches = known.rules.searches() if known.rules is not None else None
                searches_made = True
            if searches is not None:
                tokens = _marked_word(piece, known, searches)
        # With the pipeline loaded its tokenizer is faster than the lexicon's
        # cutting, but for the words above.
        if tokens is None and not loaded:
            tokens = known.known(piece)
        if tokens is None:
            unknown.append(piece)
        else:
            out[piece] = tokens
    if unknown:
        out.update(_pipeline_tokens(unknown, language))
    return out


def _marked_word(piece: str, known: Lexicon, tokenizer: Any) -> tuple[Token, ...] | None:
    """The tokens of a word of letters with one mark before it, after it or
    both ("links," "(see" "[here]" "pages."), when spaCy's tokenizer would
    cut just those marks off (``tokenizer``: spaCy's, or the lexicon's rules'
    ``Rules.searches``): its own prefix and suffix searches find each
    mark, and no special case is the piece or a part of it (so neither the
    affix loop nor the special-case matcher of ``Tokenizer._tokenize_affixes``
    takes another turn). The word is then a token as ``Lexicon.whole_word``
    tells it (no affix rule cuts letters from letters), each mark one whose
    entry is known. Half the pieces a cold run used to hand spaCy on
    kubernetes/community (25,230 of 48,210), at a third of the time each
    took there."""
    size = len(piece)
    if size < 2:
        return None
    lead = 0 if piece[0].isalnum() else 1
    trail = 0 if piece[-1].isalnum() else 1
    word = piece[lead : size - trail]
    if not (lead or trail) or not word.isalpha():
        return None
    words = known.words
    before = words.get(piece[0]) if lead else None
    after = words.get(piece[-1]) if trail else None
    if (lead and before is None) or (trail and after is None):
        return None
    specials = known.rules.specials  # type: ignore[union-attr]
    if piece in specials or piece[lead:] in specials or piece[: size - trail] in specials:
        return None
    if (lead and piece[0] in specials) or (trail and piece[-1] in specials):
        return None
    if tokenizer.token_match is not None and tokenizer.token_match(piece):
        return None
    if affix_length(tokenizer.prefix_search, piece) != lead:
        return None
    if affix_length(tokenizer.suffix_search, piece[lead:]) != trail:
        return None
    whole = known.whole_word(word)
    if whole is None:
        return None
    out = list(whole)
    if lead:
        out[0] = (1, size - trail, *out[0][2:])
        out.insert(0, (0, 1, *before))  # type: ignore[misc]
    if trail:
        out.append((size - 1, size, *after))  # type: ignore[misc]
    tokens = known.pieces[piece] = tuple(out)
    return tokens


def _pipeline_tokens(pieces: list[str], language: str, batch_size: int = _CHUNK) -> dict[str, tuple[Token, ...]]:
    """The tokens of each piece from spaCy. The pieces go through the
    tokenizer joined by two spaces, a few thousand at a time: it splits at
    spaces before anything else, so each piece gets the tokens it would get
    alone, without the cost of a ``Doc`` per piece. (The second space is a
    token of its own, skipped here: with one space, the special cases the
    tokenizer finds again among its tokens could reach across it, so that
    after "x:" the "(:" of "(:’d" was cut in two.)"""
    nlp = get_nlp(language)  # first: it imports spaCy without its command line
    from spacy.attrs import IDX, ORTH

    known = lexicon(language)
    lemmatizer = nlp.get_pipe(_COMPONENT)
    vocab = nlp.vocab
    words = known.words
    out: dict[str, tuple[Token, ...]] = {}
    for batch in _batches(pieces, batch_size):
        ends = list(accumulate(map(len, batch)))
        joined = _BETWEEN_PIECES.join(batch)
        tokens: list[Token] = []
        index = 0  # of the piece the next token belongs to
        start = 0  # of that piece in ``joined``
        for orth, idx in nlp.tokenizer(joined).to_array([ORTH, IDX]).tolist():
            if joined[idx] == " ":
                continue  # the second space between two pieces (no piece has one)
            while idx >= ends[index] + 2 * index:  # the token lies in a later piece
                out[batch[index]] = tuple(tokens)
                known.learn(batch[index], out[batch[index]])
                tokens = []
                index += 1
                start = ends[index - 1] + 2 * index
            lexeme = vocab[orth]
            text = lexeme.orth_
            entry = words.get(text)
            if entry is None:
                entry = _entry(lexeme, lemmatizer.lemmatize(text), lemmatizer.stop_words)
            tokens.append((idx - start, idx - start + len(text), entry[0], entry[1]))
        out[batch[index]] = tuple(tokens)
        known.learn(batch[index], out[batch[index]])
        for rest in batch[index + 1 :]:  # pieces with no token at all
            out[rest] = ()
            known.learn(rest, ())
    return out


def _entry(lexeme: Lexeme, lemma: str, stop_words: frozenset[str]) -> Entry:
    """A written form's lemma and flags."""
    flags = 0
    if _word_lemma(lexeme, lemma, stop_words) is not None:
        flags |= WORD
    if _content_lemma(lexeme, lemma, stop_words) is not None:
        flags |= CONTENT
    return lemma, flags


def tokens(text: str, language: str = "en") -> list[Token]:
    """The tokens of ``text`` as spaCy's pipeline makes them: ``(start, end,
    lemma, flags)`` with offsets in ``text``; whitespace other than one space
    after a token is a token too (flags 0), as in spaCy. Line breaks count as
    spaces (a phrase may wrap)."""
    text = text.replace("\r", " ").replace("\n", " ")
    spans = [(match.start(), match.group()) for match in _PIECE.finditer(text)]
    known = _piece_tokens({piece for _, piece in spans}, language)
    out: list[Token] = []
    end = 0
    for start, piece in spans:
        if start > end:
            _whitespace(out, text, end, start)
        out.extend((start + a, start + b, lemma, flags) for a, b, lemma, flags in known[piece])
        end = start + len(piece)
    if end < len(text):
        _whitespace(out, text, end, len(text))
    return out


def _whitespace(out: list[Token], text: str, start: int, end: int) -> None:
    # Tokenizer._tokenize_affixes: one space after a token belongs to it,
    # other whitespace (and all of it at the start) is a token of its own.
    if start > 0 and text[start] == " ":
        start += 1
    if start < end:
        out.append((start, end, text[start:end], 0))


# What joins the pieces of a batch (see ``_pipeline_tokens``).
_BETWEEN_PIECES = "  "


def _batches(pieces: list[str], size: int) -> Iterator[list[str]]:
    """The pieces in runs of about ``size`` characters."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece) + len(_BETWEEN_PIECES)
        if length >= size:
            yield batch
            batch, length = [], 0
    if batch:
        yield batch


# --------------------------------------------------------------------------- lemmas


def lemmas(text: str, *, language: str = "en") -> list[str]:
    """The lower-case lemmas of the word tokens of ``text`` (a letter or a
    digit in them: no punctuation, symbols, emoji or whitespace), in order."""
    return _lemmas_where(text, language, WORD)


def content_terms(text: str, *, language: str = "en") -> list[str]:
    """The lemmas relevance counts: ``lemmas`` without stop words, numbers,
    URLs, e-mail addresses and one-character words."""
    return _lemmas_where(text, language, CONTENT)


def _word_lemma(lexeme: Lexeme, lemma: str, stop_words: frozenset[str]) -> str | None:
    """``lemma`` when the token has a letter or a digit (``is_alpha`` is a
    precomputed flag and answers for most tokens, so the scan is rare)."""
    return lemma if lexeme.is_alpha or any(ch.isalnum() for ch in lexeme.orth_) else None


def _content_lemma(lexeme: Lexeme, lemma: str, stop_words: frozenset[str]) -> str | None:
    """``lemma`` when the word says what a text is about (``_says_something``)."""
    says = _says_something(
        lemma,
        stop_words,
        is_stop=lexeme.is_stop,
        like_num=lexeme.like_num,
        like_url=lexeme.like_url,
        like_email=lexeme.like_email,
    )
    return lemma if says else None


def _says_something(
    lemma: str, stop_words: frozenset[str], *, is_stop: bool, like_num: bool, like_url: bool, like_email: bool
) -> bool:
    """Whether a word says what a text is about: not a stop word (as written,
    ``is_stop``, or as lemma: "calls" → "call"), not a number, URL or e-mail
    address (spaCy's lexeme attributes of those names), at least two
    characters and at least one letter."""
    return (
        len(lemma) > 1
        and not is_stop
        and lemma not in stop_words
        and not like_num
        and not like_url
        and not like_email
        and any(ch.isalpha() for ch in lemma)
    )


def _lemmas_where(text: str, language: str, flag: int) -> list[str]:
    """The lemmas of the tokens with ``flag``, in order.

    The hot path of a cold run: every word of every page. The tokens of each
    whitespace-separated piece, and so its kept lemmas, depend on the piece
    alone, so they are worked out once per piece and remembered: a dictionary
    lookup per word instead of a tokenizer pass (about 4 ms for a typical post).
    """
    pieces = text.split()
    memo = _kept_lemmas(dict.fromkeys(pieces), language, flag)
    out: list[str] = []
    for piece in pieces:
        out.extend(memo[piece])
    return out


def _kept_lemmas(distinct: Iterable[str], language: str, flag: int) -> dict[str, tuple[str, ...]]:
    """The memo of each piece's lemmas with ``flag``, holding those of
    ``distinct`` (pieces, each once)."""
    memo = lexicon(language).kept.setdefault(flag, {})
    unseen = [piece for piece in distinct if piece not in memo]
    if unseen:
        for piece, found in _piece_tokens(unseen, language).items():
            memo[piece] = tuple(lemma for _, _, lemma, flags in found if flags & flag)
    return memo


def content_term_counts(text: str, *, language: str = "en") -> dict[str, int]:
    """How often each lemma of ``content_terms(text)`` occurs, in the order
    of their first occurrence: ``dict(Counter(content_terms(text)))``,
    counted per distinct piece (a page repeats most of its words) instead of
    over a list of every lemma."""
    counts = Counter(text.split())
    memo = _kept_lemmas(counts, language, CONTENT)
    out: dict[str, int] = {}
    get = out.get
    for piece, times in counts.items():
        for lemma in memo[piece]:
            out[lemma] = get(lemma, 0) + times
    return out


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


def forget_learned_anchors() -> None:
    """Drop what ``learned_anchors`` would hand over, for a run that keeps
    nothing (handing them over took 50 ms at 50,000 posts)."""
    _LEARNED.clear()


def _hear_anchors(learned: dict[str, dict[str, str]]) -> None:
    """Texts a worker process normalised: known here from now on, and handed
    over by ``learned_anchors`` as if normalised here."""
    for language, texts in learned.items():
        for text, normalised in texts.items():
            key = (text, language)
            if key not in _ANCHORS:
                _ANCHORS[key] = normalised
                _LEARNED.append(key)


# What worker processes learn reaches the parent with each task's answer.
share_news(learned_words, add_learned_words)
share_news(learned_anchors, _hear_anchors)


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
    # Placeholders a draft or a template page holds ("## TODO"): no topic.
    "todo",
    "tbd",
    "fixme",
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
def _prepared_pattern(phrase: str, language: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]] | None:
    """A phrase as the lemmas of its tokens (punctuation at the ends dropped)
    and its needles, or None for a phrase of stop words only. Cached: the
    same titles and headings are looked for in post after post."""
    text = phrase.replace("\r", " ").replace("\n", " ")
    found = tokens(text, language)
    words = [i for i, token in enumerate(found) if token[3] & WORD]
    if not words or not any(found[i][3] & CONTENT for i in words):
        return None
    pattern = found[words[0] : words[-1] + 1]
    needles = tuple(
        frozenset({lemma[:_NEEDLE], text[start:end].lower()[:_NEEDLE]})
        for start, end, lemma, flags in pattern
        if flags & CONTENT
    )
    return tuple(token[2] for token in pattern), needles


class PhraseFinder:
    """Finds phrases in prose by their lemmas, case-insensitively: a page titled
    "Internal Linking Strategy" is found in "our internal link strategy".

    Built from ``(key, phrase)`` pairs (a key is typically the target page's
    path). Punctuation at either end of a phrase is ignored, and a phrase made
    only of stop words and punctuation ("this", "Why?") is skipped: it could
    carry a link to anything. A phrase matches where the lemmas of its tokens
    follow each other in the prose, token for token (what spaCy's
    ``PhraseMatcher`` on lemmas finds); where two phrases match the same
    tokens, the one given first comes first.
    """

    def __init__(self, phrases: Iterable[tuple[Hashable, str]], *, language: str = "en") -> None:
        self.language = language
        self.entries: list[tuple[Hashable, str]] = []  # (key, phrase) per pattern
        # First lemma -> (lemmas, entry number) of the patterns starting with it.
        self.patterns: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        # Per pattern, the first letters of its content lemmas: a prose item that
        # lacks any of them cannot match, so it is never tokenised. Inflection
        # keeps the start of a word ("linking" → "link"), which is what makes
        # this safe, and tokenising is most of the cost of matching.
        self.needles: list[tuple[frozenset[str], ...]] = []
        for key, phrase in phrases:
            prepared = _prepared_pattern(phrase, language)
            if prepared is None:
                continue
            pattern, needles = prepared
            self.patterns.setdefault(pattern[0], []).append((pattern, len(self.entries)))
            self.entries.append((key, phrase))
            self.needles.append(needles)
        # Each needle once: phrases share words (a title, the title trimmed, runs
        # of its words), and each needle is looked for once per page or item.
        self.first_needles = sorted({needle for needles in self.needles if needles for needle in needles[0]})
        # As numbers: a bit per needle, and per pattern (each distinct one
        # once) the bits of each content lemma's needles.
        every = sorted({needle for needles in self.needles for word in needles for needle in word})
        bits = {needle: 1 << number for number, needle in enumerate(every)}
        self._needle_bits = list(bits.items())
        self._pattern_bits = sorted({tuple(sum(bits[needle] for needle in word) for word in needles) for needles in self.needles})

    def __len__(self) -> int:
        return len(self.entries)

    def _candidates(self, lowered: _LoweredProse) -> Iterator[int]:
        """Indexes of the prose items that contain the first word of some
        pattern, in order, as they are asked for: one search for all those
        words over the whole page, resumed after each item found, rather than
        testing every item against every pattern (``first`` mostly stops at
        an early item). Each word is looked for with ``str.find``, the next
        place of each kept in a heap: a regular expression of the words as
        alternatives tries each at almost every character (scanning a long
        page for a phrase it lacks was most of the phrase search's time)."""
        texts, joined, starts, _ = lowered
        find = joined.find
        upcoming = [(at, needle) for needle in self.first_needles if (at := find(needle)) >= 0]
        heapq.heapify(upcoming)
        while upcoming:
            index = bisect.bisect_right(starts, upcoming[0][0]) - 1
            yield index
            # Go on after this item: one hit per item is enough.
            after = starts[index] + len(texts[index]) + 1
            while upcoming and upcoming[0][0] < after:
                needle = upcoming[0][1]
                at = find(needle, after)
                if at >= 0:
                    heapq.heapreplace(upcoming, (at, needle))
                else:
                    heapq.heappop(upcoming)

    def _may_match(self, lowered: str) -> bool:
        """Whether the lower-case text of a prose item has, for some pattern,
        the first letters of each of its content lemmas."""
        present = 0
        for needle, bit in self._needle_bits:
            if needle in lowered:
                present |= bit
        for words in self._pattern_bits:
            for word in words:
                if not word & present:
                    break
            else:
                return True
        return False

    def _hopeful(self, prose: Sequence[Prose], include_headings: bool) -> Iterator[int]:
        """Indexes of the prose items worth tokenising, in order: candidates
        (``_candidates``) that are not headings unless asked for and may match
        (``_may_match``)."""
        lowered = _lowered(prose)
        texts, headings = lowered[0], lowered[3]
        for index in self._candidates(lowered):
            if (include_headings or not headings[index]) and self._may_match(texts[index]):
                yield index

    def _matches(self, index: int, item: Prose) -> list[Match]:
        """Every match in one prose item, in order of its first token."""
        found = _prose_tokens(item.text, self.language)
        lemmas = [token[2] for token in found]
        patterns = self.patterns
        out = []
        for first, lemma in enumerate(lemmas):
            for pattern, entry in patterns.get(lemma, ()):
                last = first + len(pattern)
                if len(pattern) == 1 or tuple(lemmas[first:last]) == pattern:
                    key, phrase = self.entries[entry]
                    begin, stop = found[first][0], found[last - 1][1]
                    out.append(
                        Match(key, phrase, index, item.span.start + begin, item.span.start + stop, item.text[begin:stop])
                    )
        return out

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
        for index in self._hopeful(prose, include_headings):
            for match in self._matches(index, prose[index]):
                found.setdefault(match.key, []).append(match)
        return {key: _without_overlaps(matches) for key, matches in found.items()}

    def first(self, prose: Sequence[Prose], *, include_headings: bool = False) -> Match | None:
        """The first match in document order (the longest where several start
        together). Stops at the first prose item that has one, so on long pages
        it tokenises little."""
        if not self.entries:
            return None
        for index in self._hopeful(prose, include_headings):
            matches = self._matches(index, prose[index])
            if matches:
                return min(matches, key=lambda m: (m.start, -(m.end - m.start)))
        return None


# A page's prose items in lower case, joined by line breaks, where each starts
# in the joined text, and whether each is in a heading.
_LoweredProse = tuple[list[str], str, list[int], list[bool]]
# Prose -> its lower case, for the pages searched last: a post with too few
# links is searched for the phrases of each page suggested to it, one page
# after another, and a long page has thousands of prose items. (Lowering them
# for each search, and looking for each pattern's needles one by one, made the
# phrase search 13% of a one-process cold run on kubernetes/community, before they were kept.)
# Kept within a budget of characters (a million: 2 to 8 MB with the lists),
# the page used longest ago going first: the pages related to each orphan are
# searched too, and a page comes back a few hundred searches later. Keeping
# the last eight pages, the 4,237 searches of kubernetes/community's cold run
# lowered 2,003 pages; with the budget 1,239 (918 different pages; twice the
# budget, 1,088).
LOWERED_CHARS_KEPT = 1_000_000


class _KeptLowered:
    """Pages' lowered prose (``_lowered``) by the prose's id, in the order
    they were last asked for."""

    def __init__(self, budget: int = LOWERED_CHARS_KEPT) -> None:
        self.budget = budget
        # The prose is kept with its lower case: its id is not reused while kept.
        self.pages: dict[int, tuple[Sequence[Prose], _LoweredProse]] = {}
        self.chars = 0  # in the joined texts of the pages kept

    def get(self, prose: Sequence[Prose]) -> _LoweredProse | None:
        kept = self.pages.pop(id(prose), None)
        if kept is None:
            return None
        self.pages[id(prose)] = kept  # used last: goes last
        return kept[1]

    def add(self, prose: Sequence[Prose], lowered: _LoweredProse) -> None:
        self.chars += len(lowered[1])
        while self.chars > self.budget and self.pages:
            self.chars -= len(self.pages.pop(next(iter(self.pages)))[1][1])
        self.pages[id(prose)] = (prose, lowered)


_LOWERED = _KeptLowered()


def _lowered(prose: Sequence[Prose]) -> _LoweredProse:
    kept = _LOWERED.get(prose)
    if kept is not None:
        return kept
    texts = [text.lower() for text in prose_texts(prose)]
    starts = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    lowered = (texts, "\n".join(texts), starts, prose_in_heading(prose))
    _LOWERED.add(prose, lowered)
    return lowered


@functools.lru_cache(maxsize=4096)
def _prose_tokens(text: str, language: str) -> list[Token]:
    """A prose item's tokens, remembered: a post is searched for the phrases
    of each page suggested to it, one page after another."""
    return tokens(text, language)


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
    candidates: list[tuple[str, list[Token]]] = []

    title_text = title.replace("\r", " ").replace("\n", " ")
    title_tokens = tokens(title_text, language)
    candidates.append((title.strip(), title_tokens))
    candidates.extend(_trimmed(title_text, title_tokens))
    candidates.extend(_runs(title_text, title_tokens))
    for heading in headings:
        heading_text = heading.replace("\r", " ").replace("\n", " ")
        heading_tokens = tokens(heading_text, language)
        if sum(1 for token in heading_tokens if token[3] & CONTENT) >= 2:
            candidates.extend(_trimmed(heading_text, heading_tokens))

    ranked: list[tuple[int, int, int, str]] = []
    seen: set[str] = set()
    for order, (text, found) in enumerate(candidates):
        words = [token for token in found if token[3] & WORD]
        key = " ".join(token[2] for token in words)
        if not text or not key or key in seen:
            continue
        seen.add(key)
        weight = sum(terms.get(token[2], 0) for token in words if token[3] & CONTENT)
        ranked.append((-len(words), -weight, order, text))
    return [text for *_, text in sorted(ranked)]


def _trimmed(text: str, found: list[Token]) -> list[tuple[str, list[Token]]]:
    """The text without non-content tokens at either end (nothing if no content
    word is left)."""
    content = [i for i, token in enumerate(found) if token[3] & CONTENT]
    if not content:
        return []
    start, end = content[0], content[-1] + 1
    return [(text[found[start][0] : found[end - 1][1]], found[start:end])]


def _runs(text: str, found: list[Token]) -> list[tuple[str, list[Token]]]:
    """Every window of 2–4 consecutive content words (a stop word, number,
    punctuation mark or whitespace ends a run), longest windows first."""
    runs: list[list[int]] = [[]]
    for i, token in enumerate(found):
        if token[3] & CONTENT:
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    out: list[tuple[str, list[Token]]] = []
    for size in (4, 3, 2):
        for run in runs:
            for first in range(len(run) - size + 1):
                start, end = run[first], run[first + size - 1] + 1
                out.append((text[found[start][0] : found[end - 1][1]], found[start:end]))
    return out
