"""Language work on the real spaCy pipeline (blank English + lookup tables)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from linklint import nlp
from linklint.model import Prose, Span
from linklint.nlp import Match, PhraseFinder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def pipeline():
    """Build the pipeline once for the whole session (``get_nlp`` caches it)."""
    return nlp.get_nlp()


def prose(text: str, start: int, line: int, *, heading: bool = False) -> Prose:
    return Prose(text, Span(start, start + len(text), line, 1, line, 1 + len(text)), heading)


# --------------------------------------------------------------------------- import


def test_import_does_not_load_spacy():
    code = (
        "import sys, linklint.nlp, linklint.relevance\n"
        "assert 'spacy' not in sys.modules, sorted(m for m in sys.modules if 'spacy' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_pipeline_is_cached_per_language(pipeline):
    assert nlp.get_nlp("en") is pipeline
    assert pipeline.pipe_names == ["linklint_lemmatizer"]


def test_the_pipeline_works_out_only_the_lexeme_attributes_read_and_they_are_spacys(pipeline):
    import spacy
    from spacy import attrs

    assert set(pipeline.vocab.lex_attr_getters) == {
        attrs.IS_ALPHA, attrs.IS_STOP, attrs.LIKE_NUM, attrs.LIKE_URL, attrs.LIKE_EMAIL
    }
    full = spacy.blank("en").vocab
    assert len(full.lex_attr_getters) > 5
    stop_words = pipeline.get_pipe("linklint_lemmatizer").stop_words
    # Words neither vocabulary has met yet: each is worked out by the getters.
    words = [
        "Zqlinkwords", "zqthe", "ZQ42", "zqtwelve", "zq3.5", "zq-ish", "zqhttps://x.io/a?b=1",
        "zq@b.co", "zq.example.com", "zq!!", "zqé", "zqU.S.A.", "zq10,000", "zq_snake",
    ]
    for word in words:
        assert word not in pipeline.vocab.strings and word not in full.strings
    words += ["the", "Twelve", "1,000", "https://example.com", "a@b.com"]
    for word in words:
        trimmed, whole = pipeline.vocab[word], full[word]
        assert (trimmed.is_alpha, trimmed.is_stop, trimmed.like_num, trimmed.like_url, trimmed.like_email) == (
            whole.is_alpha, whole.is_stop, whole.like_num, whole.like_url, whole.like_email
        ), word
        assert nlp._entry(trimmed, word.lower(), stop_words) == nlp._entry(whole, word.lower(), stop_words), word


# --------------------------------------------------------------------------- lemmas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Links links LINKS Linking linking link", ["link"] * 6),
        ("URLs urls URL url", ["url"] * 4),
        ("APIs SEOs webhooks", ["api", "seo", "webhook"]),
        # Unknown words that only look like plurals stay as written.
        ("news series class status analysis axis", ["news", "series", "class", "status", "analysis", "axis"]),
        # The table maps better -> well -> good: the chain is followed to its end.
        ("Better better well good", ["good"] * 4),
        ("Strategies strategy", ["strategy", "strategy"]),
    ],
)
def test_lemmas_ignore_case_and_guess_plurals(text, expected):
    assert nlp.lemmas(text) == expected


def test_other_languages_use_their_own_table():
    # The German table lists nouns capitalised: looked up as written after lower-case.
    assert nlp.lemmas("Die Häuser", language="de") == ["der", "haus"]


def test_lemmas_drop_punctuation_symbols_and_space():
    assert nlp.lemmas("Read more → here!\nNext… 🙂 C++ 3.5") == ["read", "much", "here", "next", "c++", "3.5"]


def test_lemmas_across_line_breaks():
    assert nlp.lemmas("Links\nURLs\r\nAPIs\rposts") == ["link", "url", "api", "post"]


def test_lemmas_of_long_text_over_spacy_max_length():
    text = "Internal links help readers. " * 40_000  # 1.16 million characters
    result = nlp.lemmas(text)
    assert len(result) == 160_000
    assert result[:4] == ["internal", "link", "help", "reader"]
    assert Counter(result) == {"internal": 40_000, "link": 40_000, "help": 40_000, "reader": 40_000}


def test_content_terms():
    text = "The 3 best Links to our URLs in 2024: see example.com or mail me@example.org, or A/B tests!"
    # "best" -> "good" (not a stop word); numbers, URL, e-mail, stop words, "A"/"B" dropped.
    assert nlp.content_terms(text) == ["good", "link", "url", "mail", "test"]


def test_content_terms_drop_stop_words_by_lemma():
    # "calls" and "called" are not stop words, their lemma "call" is.
    assert nlp.content_terms("calls called") == []
    assert nlp.content_terms("") == []


def test_content_term_counts_count_content_terms_in_order_of_first_occurrence():
    text = (
        "Soil tests: soil, SOIL and (soil)! Links link linking.\n"
        "Worm bins feed the soil; the worms -- worm-bins -- and the 3 links.\n"
        "The The the calls called example.com me@example.org"
    )
    counted = nlp.content_term_counts(text)
    assert counted == {"soil": 5, "test": 1, "link": 4, "worm": 3, "bin": 2, "fee": 1}  # the lookup table says "feed" -> "fee"
    assert list(counted.items()) == list(Counter(nlp.content_terms(text)).items())
    assert nlp.content_term_counts("") == {}

# --------------------------------------------------------------------------- anchors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Internal Links!", "internal link"),
        ("internal link", "internal link"),
        ("  The   Best   URLs!!! ", "the good url"),
        ("Continue Reading →", "continue read"),
        ("«here»", "here"),
        ("Read more…", "read much"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalise_anchor(text, expected):
    assert nlp.normalise_anchor(text) == expected


@pytest.mark.parametrize("text", ["Internal Links!", "Better URLs", "Continue Reading", "The Strategies of SEOs"])
def test_normalise_anchor_is_idempotent(text):
    once = nlp.normalise_anchor(text)
    assert nlp.normalise_anchor(once) == once


def test_texts_normalised_are_handed_over_once_or_forgotten():
    nlp.learned_anchors()
    nlp.normalise_anchor("Pruning the quince tree")
    assert nlp.learned_anchors() == {"en": {"Pruning the quince tree": "prune the quince tree"}}
    assert nlp.learned_anchors() == {}
    nlp.normalise_anchor("Pruning the medlar tree")
    nlp.forget_learned_anchors()  # a run with no cache keeps nothing
    assert nlp.learned_anchors() == {}
    assert nlp.normalise_anchor("Pruning the medlar tree") == "prune the medlar tree"  # still known here
    assert nlp.learned_anchors() == {}


def test_generic_anchors_are_normalised_fixed_points():
    generic = nlp.GENERIC_ANCHORS
    assert isinstance(generic, frozenset)
    assert len(generic) == len(nlp.GENERIC_ANCHOR_PHRASES)
    for anchor in generic:
        assert nlp.normalise_anchor(anchor) == anchor


@pytest.mark.parametrize(
    "text", ["Click here!", "HERE", "Read more…", "Learn More →", "Continue reading", "this post", "This Link", "Details"]
)
def test_generic_anchor_texts_as_written(text):
    assert nlp.normalise_anchor(text) in nlp.GENERIC_ANCHORS


@pytest.mark.parametrize("text", ["internal linking guide", "pricing", "read the docs", "here is our pricing"])
def test_descriptive_anchor_texts_are_not_generic(text):
    assert nlp.normalise_anchor(text) not in nlp.GENERIC_ANCHORS


# --------------------------------------------------------------------------- phrases


def test_phrase_finder_matches_lemmas_with_exact_offsets():
    items = [
        prose("Our internal link strategy, explained.", 10, 2),
        prose("INTERNAL LINKS and more", 200, 6),
    ]
    finder = PhraseFinder([("a.md", "Internal Linking Strategy"), ("b.md", "internal links")])
    found = finder.find(items)
    assert found == {
        "a.md": [Match("a.md", "Internal Linking Strategy", 0, 14, 36, "internal link strategy")],
        "b.md": [
            Match("b.md", "internal links", 0, 14, 27, "internal link"),
            Match("b.md", "internal links", 1, 200, 214, "INTERNAL LINKS"),
        ],
    }
    # The offsets point into the document: each item's text sits at its span.
    document = " " * 300
    for item in items:
        document = document[: item.span.start] + item.text + document[item.span.end :]
    for matches in found.values():
        for match in matches:
            assert document[match.start : match.end] == match.text


def test_phrase_finder_never_matches_across_prose_items():
    items = [prose("Read about internal", 0, 1), prose("linking strategy today", 20, 2)]
    finder = PhraseFinder([("a.md", "Internal Linking Strategy")])
    assert finder.find(items) == {}


def test_phrase_finder_skips_headings_unless_asked():
    items = [prose("Internal Linking Strategy", 2, 1, heading=True), prose("An internal linking strategy.", 30, 3)]
    finder = PhraseFinder([("a.md", "internal linking strategy")])
    assert finder.find(items) == {
        "a.md": [Match("a.md", "internal linking strategy", 1, 33, 58, "internal linking strategy")]
    }
    assert finder.find(items, include_headings=True)["a.md"] == [
        Match("a.md", "internal linking strategy", 0, 2, 27, "Internal Linking Strategy"),
        Match("a.md", "internal linking strategy", 1, 33, 58, "internal linking strategy"),
    ]


def test_phrase_finder_prefers_longer_matches_per_key():
    items = [prose("A linking strategy is an internal linking strategy.", 0, 1)]
    finder = PhraseFinder(
        [("a.md", "Linking Strategy"), ("a.md", "Internal Linking Strategy"), ("b.md", "strategy")]
    )
    assert finder.find(items) == {
        "a.md": [
            Match("a.md", "Linking Strategy", 0, 2, 18, "linking strategy"),
            Match("a.md", "Internal Linking Strategy", 0, 25, 50, "internal linking strategy"),
        ],
        # Another key may overlap: choosing between targets is the caller's job.
        "b.md": [
            Match("b.md", "strategy", 0, 10, 18, "strategy"),
            Match("b.md", "strategy", 0, 42, 50, "strategy"),
        ],
    }


def test_phrase_finder_trims_punctuation_and_skips_empty_phrases():
    finder = PhraseFinder([("a.md", "What is SEO?"), ("b.md", "This"), ("c.md", "Why?"), ("d.md", "")])
    assert len(finder) == 1
    assert finder.find([prose("Learn what is SEO, fast.", 100, 4)]) == {
        "a.md": [Match("a.md", "What is SEO?", 0, 106, 117, "what is SEO")]
    }


def test_phrase_finder_without_phrases():
    assert PhraseFinder([]).find([prose("anything", 0, 1)]) == {}


# --------------------------------------------------------------------------- key phrases


def test_key_phrases_from_title_and_headings():
    terms = Counter({"image": 9, "alt": 4, "text": 4, "write": 1})
    headings = ["Why alt text matters", "Conclusion", "Alt text for decorative images", "FAQ"]
    assert nlp.key_phrases("How to Write Alt Text for Images", headings, terms) == [
        "How to Write Alt Text for Images",
        "Write Alt Text for Images",
        "Alt text for decorative images",
        "Write Alt Text",
        "alt text matters",
        "Alt Text",  # "alt" and "text" weigh more on the page than "write"
        "Write Alt",
    ]


def test_key_phrases_deduplicate_by_lemmas():
    assert nlp.key_phrases("Internal Linking Strategy", ["Internal linking strategies"], Counter()) == [
        "Internal Linking Strategy",
        "Internal Linking",
        "Linking Strategy",
    ]


def test_key_phrases_short_titles():
    assert nlp.key_phrases("Pricing", ["Plans"], Counter()) == ["Pricing"]
    assert nlp.key_phrases("SEO 101: Internal Links", [], Counter()) == ["SEO 101: Internal Links", "Internal Links"]


def test_key_phrases_feed_the_phrase_finder():
    phrases = nlp.key_phrases("The Internal Linking Strategy", [], Counter())
    finder = PhraseFinder([("a.md", p) for p in phrases])
    matches = finder.find([prose("Every internal link strategy needs care.", 0, 1)])["a.md"]
    assert [(m.phrase, m.text) for m in matches] == [("Internal Linking Strategy", "internal link strategy")]


def test_first_match_is_the_earliest_and_agrees_with_find() -> None:
    from linklint.model import Prose, Span
    from linklint.nlp import PhraseFinder

    def prose(text: str, start: int, heading: bool = False) -> Prose:
        return Prose(text, Span(start, start + len(text), 1, start + 1, 1, start + len(text) + 1), heading)

    items = [
        prose("Internal Linking", 0, heading=True),
        prose("Nothing to see here.", 20),
        prose("An internal link strategy, then internal links again.", 50),
    ]
    finder = PhraseFinder([("p", "internal linking strategy"), ("p", "internal links")])
    first = finder.first(items)
    assert (first.prose_index, first.text, first.start) == (2, "internal link strategy", 53)
    assert first == finder.find(items)["p"][0]
    assert finder.first(items[:2]) is None
    assert finder.first(items[:1], include_headings=True).text == "Internal Linking"


def test_spacy_loads_without_its_command_line_and_keeps_it_importable() -> None:
    script = (
        "import sys\n"
        "from linklint import nlp\n"
        "nlp.get_nlp('en')\n"
        "assert nlp.lemmas('Running dogs') == ['run', 'dog']\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'typer', 'rich', 'weasel', 'click'}))\n"
        "print('spacy.cli' in sys.modules)\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.download), spacy.info.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "False", "True linklint.nlp"]
