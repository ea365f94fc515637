"""What linklint needs of spaCy's English, without loading spaCy.

Cutting text into tokens and telling a token's lemma and flags needs four
things of spaCy's English: its tokenizer's rules (patterns and special
cases), its stop words, the words ``like_num`` calls numbers and the lexeme
attributes ``like_num``, ``like_url`` and ``like_email``. Importing spaCy and
building its pipeline for them takes 0.4–0.5 s, a fifth of a cold run at
1,000 posts. ``linklint/english_data.py`` keeps them as data, written from
the spaCy it names (``python -m linklint.english``; a test fails when it no
longer matches the installed spaCy of that version), and the three
attributes are spaCy's functions as this module follows them. They are used
only while the installed spaCy is the one the data was written from
(``data()``; its version is read from its installed files, not imported):
with any other, spaCy is loaded and answers as before.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Any, Callable, Optional

from linklint.versions import installed_version

# Where the data is written, beside this module.
DATA_MODULE = Path(__file__).with_name("english_data.py")


@functools.lru_cache(maxsize=None)
def data() -> Optional[Any]:
    """The data module when it was written from the installed spaCy, else None."""
    try:
        from linklint import english_data
    except ImportError:
        return None
    if getattr(english_data, "SPACY_VERSION", None) != installed_version("spacy"):
        return None
    return english_data


class Attributes:
    """spaCy's English ``like_num``, ``like_url`` and ``like_email``
    (``spacy.lang.en.lex_attrs``, ``spacy.lang.lex_attrs``) over the data
    they read: the number words, the top-level domains and two patterns."""

    def __init__(
        self, number_words: frozenset[str], tlds: frozenset[str], url_match: tuple[str, int], email: tuple[str, int]
    ) -> None:
        self.number_words = number_words
        self.tlds = tlds
        # spaCy's URL pattern takes 6 ms to compile, and only a word with a
        # dot and no known top-level domain asks for it (many runs, none):
        # it is compiled then.
        self._url_pattern = url_match
        self._url_match: Callable[[str], Any] | None = None
        self._email: Callable[[str], Any] = re.compile(*email).match

    def like_num(self, text: str) -> bool:
        if text.startswith(("+", "-", "±", "~")):
            text = text[1:]
        text = text.replace(",", "").replace(".", "")
        if text.isdigit():
            return True
        if text.count("/") == 1:
            num, denom = text.split("/")
            if num.isdigit() and denom.isdigit():
                return True
        lower = text.lower()
        if lower in self.number_words:  # the number words and the ordinal ones
            return True
        return lower.endswith(("st", "nd", "rd", "th")) and lower[:-2].isdigit()

    def like_url(self, text: str) -> bool:
        if text.startswith(("http://", "https://")):
            return True
        if text.startswith("www.") and len(text) >= 5:
            return True
        if text[0] == "." or text[-1] == ".":
            return False
        if "@" in text or "." not in text:
            return False
        tld = text.rsplit(".", 1)[1].split(":", 1)[0]
        if tld.endswith("/"):
            return True
        if tld.isalpha() and tld in self.tlds:
            return True
        if self._url_match is None:
            self._url_match = re.compile(*self._url_pattern).match
        return bool(self._url_match(text))

    def like_email(self, text: str) -> bool:
        return bool(self._email(text))


def attributes() -> Optional[Attributes]:
    """The three attributes of the installed spaCy's English, or None."""
    found = data()
    if found is None:
        return None
    return _attributes(found)


@functools.lru_cache(maxsize=None)
def _attributes(found: Any) -> Attributes:
    return Attributes(frozenset(found.NUMBER_WORDS), frozenset(found.TLDS), found.URL_MATCH, found.EMAIL)


# --------------------------------------------------------------------------- writing


def written_from_spacy() -> str:
    """The text of the data module, from the installed spaCy (loaded)."""
    from spacy.lang import lex_attrs
    from spacy.lang.tokenizer_exceptions import URL_MATCH

    from linklint import nlp
    from linklint.lexicon import Rules

    pipeline = nlp.get_nlp("en")
    rules = Rules.of(pipeline.tokenizer)
    rules._matched_cases()  # worked out once here, not in every run
    kept = rules.as_data()
    email = lex_attrs._like_email.__self__  # type: ignore[attr-defined]
    url = URL_MATCH.__self__  # type: ignore[attr-defined]
    number_words = nlp._number_words(pipeline)
    if not rules.usable or number_words is None:
        raise SystemExit("this spaCy's English cannot be followed as data")
    import spacy

    lines = [
        '"""spaCy\'s English as linklint follows it (see ``linklint.english``).',
        "",
        "Written by ``python -m linklint.english`` from the spaCy named below; do",
        'not edit."""',
        "",
        "# fmt: off",
        f"SPACY_VERSION = {spacy.__version__!r}",
        f"PATTERNS = {_sorted_dict(kept['patterns'])}",
        f"SPECIALS = {_sorted_dict(kept['specials'])}",
        f"RETOKENISED = {_sorted_dict(kept['retokenised'])}",
        f"STOP_WORDS = {_lines(sorted(pipeline.get_pipe(nlp._COMPONENT).stop_words))}",
        f"NUMBER_WORDS = {_lines(sorted(number_words))}",
        f"TLDS = {_lines(sorted(lex_attrs._tlds))}",  # type: ignore[attr-defined]
        f"URL_MATCH = {(url.pattern, url.flags)!r}",
        f"EMAIL = {(email.pattern, email.flags)!r}",
        "",
    ]
    return "\n".join(lines)


def _sorted_dict(mapping: dict) -> str:
    if not mapping:
        return "{}"
    return "{\n" + "".join(f"    {key!r}: {mapping[key]!r},\n" for key in sorted(mapping)) + "}"


def _lines(items: list[str]) -> str:
    return "(\n" + "".join(f"    {item!r},\n" for item in items) + ")"


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DATA_MODULE
    target.write_text(written_from_spacy(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
