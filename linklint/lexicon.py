"""Tokens without spaCy: its tokenizer's rules and the words a site uses, kept.

Every answer linklint asks of spaCy depends on whitespace-separated pieces of
text alone: how the tokenizer cuts a piece ("(linking," → "(", "linking", ",")
and, per token, its lemma and whether it is a word and a content word. Both are
worth keeping from run to run. Importing spaCy and building its pipeline takes
0.6–0.8 s, most of a pre-commit run, while the posts a writer edits use words
the site has used before.

So a ``Lexicon`` holds, per language, the tokenizer's rules as data (prefix,
suffix, infix and URL patterns and the special cases, all plain strings) and
the written forms of the tokens seen so far with their lemma and flags. With
them it cuts a piece the way spaCy's tokenizer does (``Rules.split`` follows
``Tokenizer._split_affixes``, ``_attach_tokens`` and ``_apply_special_cases``
step by step) and answers without spaCy, as long as every token is a known
form or one ``guess`` can tell (``linklint.nlp``: English words of letters or
digits, and any English form while ``linklint.english`` matches the installed
spaCy, which also gives the rules then). A piece with any other new form is
left to spaCy, which is then loaded, and teaches the lexicon the new forms.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, NamedTuple, Optional, Tuple

from linklint.regexcode import Code, compile_keeping, from_code
from linklint.suffixes import last_char_search

# Token flags.
WORD = 1  # a letter or a digit in it (not punctuation, symbols or whitespace)
CONTENT = 2  # says what a text is about (see ``linklint.nlp._content_lemma``)

# One token of a piece: where it starts and ends in the piece, its lemma and flags.
Token = Tuple[int, int, str, int]
# A written form's lemma and flags.
Entry = Tuple[str, int]

# The tokenizer's patterns, by the names ``Rules`` keeps them under.
_PATTERNS = ("prefix", "suffix", "infix", "token_match", "url_match")
# The name a part of the suffix pattern's code is kept under starts with this
# (``linklint.suffixes`` compiles the alternatives for a last character).
_SUFFIX_PART = "suffix part "
# Only long parts are kept: of English's 74, the one for a full stop (9,300
# characters, 5 ms to compile) and one of 2,400 (0.8 ms); the rest take
# 0.3 ms at most, all of them together under 1.5 ms.
_KEPT_PART_LENGTH = 1000


class Searches(NamedTuple):
    """A tokenizer's searches, under the names spaCy's ``Tokenizer`` has."""

    token_match: Optional[Callable[[str], Optional[re.Match[str]]]]
    prefix_search: Optional[Callable[[str], Optional[re.Match[str]]]]
    suffix_search: Optional[Callable[[str], Optional[re.Match[str]]]]


class Rules:
    """A spaCy tokenizer's rules as plain data, and the tokenizer's way of
    cutting one whitespace-free piece with them.

    ``patterns`` maps "prefix", "suffix", "infix", "token_match" and
    "url_match" to ``(regular expression, flags)`` or None; ``specials`` maps
    each special case ("don't", ":)", "e.g.") to the texts of its tokens.
    Patterns are compiled on first use (60–80 ms for English), or made from
    their kept code (``code``, well under a millisecond)."""

    def __init__(
        self,
        patterns: dict[str, Optional[tuple[str, int]]],
        specials: dict[str, tuple[str, ...]],
        code: Optional[dict[str, Code]] = None,
        retokenised: Optional[dict[str, tuple[str, ...]]] = None,
    ) -> None:
        self.patterns = patterns
        self.specials = specials
        # Worked out from the two above and kept with them: the patterns'
        # compiled code (``linklint.regexcode``; with the parts of the suffix
        # pattern compiled so far) and ``_matched_cases``, 60–80 ms and about
        # 15 ms of a run that must cut a new piece.
        self.code: dict[str, Code] = dict(code) if code else {}
        self.worked_out = False  # code or cases this process worked out that are not kept yet
        # Whether compiling a pattern also works out its code to keep (half
        # the cost of compiling it): not when nothing will store the rules.
        self.keep_code = True
        self._compiled: Optional[dict[str, Optional[re.Pattern[str]]]] = None
        # Lengths of the prefix and suffix found (``Tokenizer.find_prefix``, ``find_suffix``).
        self._prefix_length: Callable[[str], int] = _no_match
        self._suffix_length: Callable[[str], int] = _no_match
        self._suffix_search: Optional[Callable[[str], Optional[re.Match[str]]]] = None
        self._retokenised: Optional[dict[str, tuple[str, ...]]] = None
        self._longest = 0  # characters of the longest case in ``_retokenised``
        self._openers: frozenset[str] = frozenset()  # the first tokens of their cuts
        if retokenised is not None:
            self._set_retokenised(retokenised)

    @classmethod
    def of(cls, tokenizer) -> Rules:  # type: ignore[no-untyped-def]
        """The rules of a loaded spaCy tokenizer (no patterns, so no answers,
        for one this module cannot follow: patterns that are not regular
        expressions, special cases that do not spell their text, or the
        tokenizer's slower heuristics switched on)."""
        from spacy.attrs import ORTH

        bounds = {
            "prefix": tokenizer.prefix_search,
            "suffix": tokenizer.suffix_search,
            "infix": tokenizer.infix_finditer,
            "token_match": tokenizer.token_match,
            "url_match": tokenizer.url_match,
        }
        patterns: dict[str, Optional[tuple[str, int]]] = {}
        for name, bound in bounds.items():
            compiled = getattr(bound, "__self__", None)
            patterns[name] = (compiled.pattern, compiled.flags) if isinstance(compiled, re.Pattern) else None
        specials = {
            text: tuple(str(part.get(ORTH, part.get("ORTH", ""))) for part in parts)
            for text, parts in tokenizer.rules.items()
        }
        followable = (
            all(bound is None or patterns[name] is not None for name, bound in bounds.items())
            and getattr(tokenizer, "faster_heuristics", True)
            and all("".join(parts) == text for text, parts in specials.items())
        )
        return cls(patterns if followable else {}, specials)

    @property
    def usable(self) -> bool:
        return bool(self.patterns)

    def as_data(self) -> dict:
        data = {"patterns": dict(self.patterns), "specials": dict(self.specials), "code": dict(self.code)}
        data["retokenised"] = dict(self._retokenised) if self._retokenised is not None else None
        return data

    @classmethod
    def from_data(cls, data: object) -> Optional[Rules]:
        """Rules read back from ``as_data``, or None for anything else."""
        if not isinstance(data, dict) or set(data) != {"patterns", "specials", "code", "retokenised"}:
            return None
        patterns, specials, code, retokenised = data["patterns"], data["specials"], data["code"], data["retokenised"]
        if not isinstance(patterns, dict) or not isinstance(specials, dict):
            return None
        if patterns and set(patterns) != set(_PATTERNS):
            return None
        for value in patterns.values():
            if value is not None and not (
                isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and type(value[1]) is int
            ):
                return None
        for text, parts in specials.items():
            if not isinstance(text, str) or not isinstance(parts, tuple) or not all(type(p) is str for p in parts):
                return None
        # The code is checked where it is used (``from_code``); the cases here.
        if not isinstance(code, dict) or not all(name in _PATTERNS or str(name).startswith(_SUFFIX_PART) for name in code):
            return None
        if retokenised is not None and not (
            isinstance(retokenised, dict)
            and all(text in specials and type(parts) is tuple and all(type(p) is str for p in parts) for text, parts in retokenised.items())
        ):
            return None
        return cls(patterns, specials, code, retokenised)

    def _regexes(self) -> dict[str, Optional[re.Pattern[str]]]:
        if self._compiled is None:
            try:
                self._compiled = {name: self._compile(name, value) for name, value in self.patterns.items()}
            except (re.error, TypeError, ValueError, OverflowError):
                # Stored rules that do not compile answer nothing.
                self.patterns, self._compiled = {}, {}
            else:
                self._prefix_length = _searcher(self._compiled["prefix"])
                suffix = self._compiled["suffix"]
                self._suffix_search = None if suffix is None else last_char_search(suffix, self._compile_part)
                self._suffix_length = _searcher(suffix, self._suffix_search)
        return self._compiled

    def searches(self) -> Optional[Searches]:
        """The tokenizer's ``token_match``, ``prefix_search`` and
        ``suffix_search`` as these rules make them, or None without rules."""
        regexes = self._regexes() if self.patterns else {}
        if not regexes:
            return None
        token_match, prefix = regexes["token_match"], regexes["prefix"]
        return Searches(
            None if token_match is None else token_match.match,
            None if prefix is None else prefix.search,
            self._suffix_search,  # by the text's last character (``linklint.suffixes``)
        )

    def _compile(self, name: str, value: Optional[tuple[str, int]]) -> Optional[re.Pattern[str]]:
        """One pattern, from its kept code when that is this interpreter's."""
        if value is None:
            return None
        return self._compiled_as(name, value[0], value[1])

    def _compile_part(self, key: str, source: str, flags: int) -> re.Pattern[str]:
        """A part of the suffix pattern (``last_char_search``), as ``_compile``
        when it is long: the part for a text ending with a full stop takes
        5 ms to compile, and nearly every run meets one."""
        if len(source) < _KEPT_PART_LENGTH:
            return re.compile(source, flags)
        return self._compiled_as(_SUFFIX_PART + key, source, flags)

    def _compiled_as(self, name: str, source: str, flags: int) -> re.Pattern[str]:
        made = from_code(source, flags, self.code.get(name))
        if made is None and not self.keep_code:
            made = re.compile(source, flags)
        elif made is None:
            made, code = compile_keeping(source, flags)
            if code is not None:
                self.code[name] = code
                self.worked_out = True
        return made

    def split(self, piece: str) -> Optional[list[str]]:
        """The token texts spaCy's tokenizer gives ``piece`` (no whitespace in
        it), or None when there are no rules to follow."""
        if not self.patterns or not self._regexes():
            return None
        return self._retokenise(self._cut(piece, self.specials))

    def _cut(self, piece: str, specials: dict[str, tuple[str, ...]]) -> list[str]:
        """The piece cut by the affix rules and ``specials``:
        ``Tokenizer._split_affixes`` and ``_attach_tokens`` step by step."""
        if piece in specials:
            return list(specials[piece])
        regexes = self._regexes()
        prefix_search, suffix_search = self._prefix_length, self._suffix_length
        token_match = regexes["token_match"]
        url_match = regexes["url_match"]
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = piece
        last_size = 0
        while string and len(string) != last_size:
            if token_match is not None and token_match.match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = prefix_search(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = suffix_search(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        tokens = prefixes
        if string:
            if string in specials:
                tokens.extend(specials[string])
            elif (token_match is not None and token_match.match(string)) or (
                url_match is not None and url_match.match(string)
            ):
                tokens.append(string)
            else:
                infix = regexes["infix"]
                start = 0
                for match in infix.finditer(string) if infix is not None else ():
                    if match.start() == 0:
                        continue
                    if match.start() != start:
                        tokens.append(string[start : match.start()])
                    if match.start() != match.end():
                        tokens.append(string[match.start() : match.end()])
                    start = match.end()
                if string[start:]:
                    tokens.append(string[start:])
        tokens.extend(reversed(suffixes))
        return tokens

    def _retokenise(self, tokens: list[str]) -> list[str]:
        """``Tokenizer._apply_special_cases``: special cases whose text holds
        an affix (":)", "):") are found again among the tokens, where their
        affix-cut tokens follow each other, and replace them: longest first,
        then earliest, skipping one whose first or last token an earlier one
        took (``_filter_special_spans``)."""
        cases = self._matched_cases()
        if not cases:
            return tokens
        found: list[tuple[int, int]] = []
        openers = self._openers
        for first in range(len(tokens)):
            if tokens[first] not in openers:
                continue
            text = ""
            for last in range(first, len(tokens)):
                text += tokens[last]
                if len(text) > self._longest:
                    break
                pattern = cases.get(text)
                if pattern is not None and tuple(tokens[first : last + 1]) == pattern:
                    found.append((first, last + 1))
        if not found:
            return tokens
        seen: set[int] = set()
        kept: list[tuple[int, int]] = []
        for start, end in sorted(found, key=lambda span: (-(span[1] - span[0]), span[0])):
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        out: list[str] = []
        at = 0
        for start, end in sorted(kept):
            out.extend(tokens[at:start])
            out.extend(self.specials["".join(tokens[start:end])])
            at = end
        out.extend(tokens[at:])
        return out

    def _matched_cases(self) -> dict[str, tuple[str, ...]]:
        """The special cases the tokenizer's special matcher holds
        (``Tokenizer.add_special_case``), each with its affix-cut tokens."""
        if self._retokenised is None:
            infix = self._regexes()["infix"]  # first: it sets the lengths' functions
            prefix, suffix = self._prefix_length, self._suffix_length
            self._set_retokenised({
                text: tuple(self._cut(text, {}))
                for text in self.specials
                if prefix(text) or (infix is not None and any(True for _ in infix.finditer(text))) or suffix(text) or " " in text
            })
            self.worked_out = True
        return self._retokenised  # type: ignore[return-value]

    def _set_retokenised(self, cases: dict[str, tuple[str, ...]]) -> None:
        self._retokenised = cases
        self._longest = max(map(len, cases), default=0)
        self._openers = frozenset(pattern[0] for pattern in cases.values() if pattern)


def _no_match(text: str) -> int:
    return 0


def _searcher(pattern: Optional[re.Pattern[str]], search: Optional[Callable[[str], Optional[re.Match[str]]]] = None) -> Callable[[str], int]:
    """The length of the pattern's first match (Tokenizer.find_prefix and
    find_suffix; ``search``: a search that answers as ``pattern.search``
    does): 0 for none."""
    if pattern is None:
        return _no_match
    return functools.partial(affix_length, search or pattern.search)


def affix_length(search: Optional[Callable[[str], Optional[re.Match[str]]]], text: str) -> int:
    """``Tokenizer.find_prefix`` and ``find_suffix``: the length of what
    ``search`` (a prefix or suffix pattern's ``search``) finds in ``text``,
    0 for nothing."""
    if search is None:
        return 0
    match = search(text)
    return match.end() - match.start() if match is not None else 0


class Lexicon:
    """What is known of one language: its tokenizer's rules and the written
    forms seen, and the tokens of each piece worked out in this process."""

    def __init__(
        self,
        rules: Optional[Rules] = None,
        words: Optional[dict[str, Entry]] = None,
        stop_words: Optional[frozenset[str]] = None,
        number_words: Optional[frozenset[str]] = None,
    ) -> None:
        self.rules = rules
        self.words: dict[str, Entry] = words if words is not None else {}
        # The language's stop words and the words that are numbers ("one",
        # "first"): with them, a word never seen can get its entry without
        # spaCy (``guess``, set by ``linklint.nlp``). None when unknown.
        self.stop_words = stop_words
        self.number_words = number_words
        self.guess: Optional[Callable[[str], Optional[Entry]]] = None
        self.pieces: dict[str, tuple[Token, ...]] = {}
        self.new_words: dict[str, Entry] = {}  # learned since ``take_new`` last ran
        # Per token flag: a piece -> the lemmas of its tokens with that flag.
        self.kept: dict[int, dict[str, tuple[str, ...]]] = {}

    def known(self, piece: str) -> Optional[tuple[Token, ...]]:
        """The tokens of ``piece`` if they can be told without spaCy."""
        tokens = self.pieces.get(piece)
        if tokens is not None or self.rules is None:
            return tokens
        tokens = self.whole_word(piece)
        if tokens is not None:
            return tokens
        texts = self.rules.split(piece)
        if texts is None:
            return None
        words = self.words
        out = []
        start = 0
        for text in texts:
            entry = words.get(text)
            if entry is None:
                entry = self.guess(text) if self.guess is not None else None
                if entry is None:
                    return None
                words[text] = self.new_words[text] = entry
            end = start + len(text)
            out.append((start, end, entry[0], entry[1]))
            start = end
        tokens = self.pieces[piece] = tuple(out)
        return tokens

    def whole_word(self, piece: str) -> Optional[tuple[Token, ...]]:
        """The one token of a piece of letters only that is no special case,
        when ``guess`` can give its entry (English): none of the tokenizer's
        prefix, suffix or infix rules cuts letters from letters, so such a
        piece is a token as it stands (tests hold spaCy to this for every word
        of the lemma table). Ten times cheaper than cutting it with ``Rules``
        or spaCy: on a real site with a large vocabulary (kubernetes/community)
        a third of the pieces a cold run tokenizes are new words like this."""
        if self.guess is None or self.rules is None or not piece.isalpha() or piece in self.rules.specials:
            return None
        entry = self.words.get(piece)
        if entry is None:
            entry = self.guess(piece)
            if entry is None:
                return None
            self.words[piece] = self.new_words[piece] = entry
        tokens = self.pieces[piece] = ((0, len(piece), entry[0], entry[1]),)
        return tokens

    def learn(self, piece: str, tokens: tuple[Token, ...]) -> None:
        """The tokens spaCy gave ``piece``."""
        self.pieces[piece] = tokens
        words = self.words
        for start, end, lemma, flags in tokens:
            text = piece[start:end]
            if text not in words:
                words[text] = self.new_words[text] = (lemma, flags)

    def add_words(self, words: dict[str, Entry]) -> None:
        """Forms another process learned."""
        for text, entry in words.items():
            if text not in self.words:
                self.words[text] = self.new_words[text] = entry

    def take_new(self) -> dict[str, Entry]:
        """The forms learned since the last call."""
        new, self.new_words = self.new_words, {}
        return new


def is_word_set(data: object) -> bool:
    """Whether ``data`` is a stored set of words (a tuple of strings) or None."""
    return data is None or (type(data) is tuple and all(type(word) is str for word in data))


def is_words(data: object) -> bool:
    """Whether ``data`` is a stored table of written forms."""
    return isinstance(data, dict) and all(
        type(text) is str
        and type(entry) is tuple
        and len(entry) == 2
        and type(entry[0]) is str
        and type(entry[1]) is int
        for text, entry in data.items()
    )
