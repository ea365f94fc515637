"""spaCy's English kept as data (``linklint.english``) answers as spaCy does:
the data is what the installed spaCy gives, the attributes are spaCy's, and
text cut and lemmatised without spaCy gets spaCy's tokens, lemmas and flags."""

from __future__ import annotations

import json
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from linklint import english, nlp
from linklint.lexicon import Lexicon
from linklint.versions import installed_version
from tests.site_helpers import cli_in_subprocess
from tests.test_lexicon import TRICKY

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipeline():
    return nlp.get_nlp("en")


def test_the_data_is_what_the_installed_spacy_gives(pipeline) -> None:
    import spacy

    from linklint import english_data

    assert installed_version("spacy") == spacy.__version__
    if english_data.SPACY_VERSION != spacy.__version__:
        # Written from another spaCy: not used, spaCy answers.
        assert english.data() is None and english.attributes() is None
        pytest.skip(
            f"english_data.py was written from spaCy {english_data.SPACY_VERSION}, {spacy.__version__} is installed:"
            " run `make english-data`"
        )
    assert english.data() is english_data
    assert english.written_from_spacy() == english.DATA_MODULE.read_text(encoding="utf-8")


def test_the_data_module_is_written_where_asked(tmp_path: Path, pipeline) -> None:
    target = tmp_path / "english_data.py"
    assert english.main([str(target)]) == 0
    written: dict = {}
    exec(compile(target.read_text(encoding="utf-8"), str(target), "exec"), written)
    assert written["SPACY_VERSION"] == installed_version("spacy")
    assert {"prefix", "suffix", "infix", "token_match", "url_match"} == set(written["PATTERNS"])
    assert written["SPECIALS"]["don't"] == ("do", "n't") and "one" in written["NUMBER_WORDS"] and "com" in written["TLDS"]


def test_another_spacy_version_leaves_the_data_unused(monkeypatch) -> None:
    english.data.cache_clear()
    monkeypatch.setattr(english, "installed_version", lambda name: "0.0.1")
    try:
        assert english.data() is None and english.attributes() is None
    finally:
        english.data.cache_clear()


def _forms() -> list[str]:
    """Written forms of every kind: numbers, fractions, ordinals, URLs,
    e-mail addresses, domains, marks, and random mixes of them."""
    chosen = random.Random(11)
    forms = set(TRICKY.split())
    forms |= {
        "10,000", "1.5", "+3", "-4", "±2", "~7", "1/2", "1/2/3", "3rd", "21st", "2nd.", "100th", "Twelfth", "twentieth",
        "Million", "1,2", "one/two", "½", "CO₂", "²", "١٢", "http://x", "https://", "www.", "www.a", "example.com",
        "example.com:8080", "a.b/", "x.y", "foo.bar.baz", "a@b.c", "name@example.org", "@user", "user@", "kubernetes.io",
        "k8s.io/", "docs.github.com", "v1.2", "1.2.3", "a.", ".a", "...", "e.g.", "U.S.", "gh.pages", "index.md",
        "README.md", "sig-docs", "co-chair", "(c)", "->", "&", "#", "#hash", "%", "5%", "$5", "€", "👍", "a_b", "A-1",
    }
    alphabet = string.ascii_letters[:6] + "019" + ".,:/@-_#%+~'’()[]" + "é½²"
    for _ in range(6000):
        forms.add("".join(chosen.choice(alphabet) for _ in range(chosen.randint(1, 9))))
    forms |= {word for word in nlp._lemma_table("en") if not word.isalpha()}
    return sorted(forms)


def test_the_attributes_are_spacys(pipeline) -> None:
    from spacy.lang.en.lex_attrs import like_num
    from spacy.lang.lex_attrs import like_email, like_url

    attributes = english.attributes()
    if attributes is None:
        pytest.skip("english_data.py was written from another spaCy")
    forms = _forms()
    assert len(forms) > 5000
    for form in forms:
        assert attributes.like_num(form) == like_num(form), form
        assert attributes.like_url(form) == like_url(form), form
        assert attributes.like_email(form) == like_email(form), form


def test_new_forms_get_the_entries_spacy_gives_them(pipeline) -> None:
    if english.attributes() is None:
        pytest.skip("english_data.py was written from another spaCy")
    known = Lexicon()
    nlp._learn_english(known, "en")
    nlp._set_guess(known, "en")
    lemmatizer = pipeline.get_pipe(nlp._COMPONENT)
    for form in _forms():
        for token in pipeline.tokenizer(form):  # the forms spaCy's tokens have
            text = token.text
            want = nlp._entry(pipeline.vocab[text], lemmatizer.lemmatize(text), lemmatizer.stop_words)
            assert known.guess(text) == want, text


def test_without_spacy_pieces_get_spacys_tokens(tmp_path: Path, pipeline) -> None:
    if english.data() is None:
        pytest.skip("english_data.py was written from another spaCy")
    text = " ".join(p.read_text(encoding="utf-8") for p in EXAMPLES.rglob("*.md"))
    pieces = sorted(set(text.split()) | set(TRICKY.split()) | set(_forms()))
    marks = list(string.punctuation) + list("“”‘’…—–")
    chosen = random.Random(5)
    words = [word for word in nlp._lemma_table("en") if word.isalpha()][::400]
    pieces += sorted({chosen.choice(marks) + word + chosen.choice(marks) for word in words})
    pieces += sorted({word + chosen.choice(marks) for word in words} | {chosen.choice(marks) + word.title() for word in words})
    source = tmp_path / "pieces.json"
    source.write_text(json.dumps(pieces), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from linklint import nlp\n"
        f"pieces = json.loads(open({str(source)!r}, encoding='utf-8').read())\n"
        "got = nlp._piece_tokens(pieces, 'en')\n"
        "assert 'spacy' not in sys.modules\n"
        "print(json.dumps([got[p] for p in pieces]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    without = [tuple(tuple(token) for token in tokens) for tokens in json.loads(done.stdout)]
    assert len(pieces) > 8000
    for piece, tokens in zip(pieces, without):
        # Each piece alone: in running text spaCy's special cases can reach
        # across a space (after "x:" the "(:" of "(:’d" is cut in two).
        assert tokens == nlp._pipeline_tokens([piece], "en")[piece], piece


def test_a_cold_check_of_english_needs_no_spacy_and_reports_the_same(tmp_path: Path) -> None:
    if english.data() is None:
        pytest.skip("english_data.py was written from another spaCy")
    site = tmp_path / "site"
    shutil.copytree(EXAMPLES, site)
    args = ["check", "--no-cache", "--format", "json"]
    last, printed = cli_in_subprocess(site, args)
    assert last == "NO-SPACY 1"
    last_with, printed_with = cli_in_subprocess(site, args, another_spacy=True)
    assert last_with == "SPACY 1"
    assert printed == printed_with and json.loads(printed)["violations"]


def test_rules_from_the_data_keep_compiled_code_only_for_a_store(monkeypatch) -> None:
    if english.data() is None:
        pytest.skip("english_data.py was written from another spaCy")
    for store, kept in ((None, []), (lambda language: None, ["infix", "prefix", "suffix", "url_match"])):
        monkeypatch.setattr(nlp, "_STORED_LEXICON", store)
        known = Lexicon()
        nlp._learn_english(known, "en")
        assert known.rules.split("(linking),") == ["(", "linking", ")", ","]
        assert sorted(known.rules.code) == kept and known.rules.worked_out == bool(kept)
