"""What a page is about: the text relevance ranking reads and its term counts.

Computing terms needs lemmas, the slowest per-page work of a run, so it is done
where pages are parsed (in the parser processes of a cold run) and cached with
them; everything here depends on the page alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linklint.model import Document, prose_texts

if TYPE_CHECKING:
    from linklint.cache import ParseCache


def page_title(doc: Document) -> str:
    """The page's title, or its file name made readable when it has none."""
    if doc.title:
        return doc.title
    stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ")


def relevance_text(doc: Document) -> str:
    """Title, headings and prose: the words that say what the page is about."""
    parts = [page_title(doc)]
    parts.extend(h.text for h in doc.headings)
    parts.extend(prose_texts(doc.prose))
    return "\n".join(parts)


def count_terms(doc: Document, language: str, text: str | None = None) -> dict[str, int]:
    """Lemma counts of ``relevance_text`` (``text`` when the caller has it);
    none for a page that could not be read or decoded (its file name alone
    says too little)."""
    if not doc.text:
        return {}
    from linklint.nlp import content_term_counts

    return content_term_counts(relevance_text(doc) if text is None else text, language=language)


def cached_terms(doc: Document, language: str, cache: ParseCache | None) -> dict[str, int]:
    """The page's term counts from the cache, else counted (and stored)."""
    if not doc.text:
        return {}
    text = relevance_text(doc)
    terms = cache.get_terms(text, language) if cache is not None else None
    if terms is None:
        terms = count_terms(doc, language, text)
        if cache is not None:
            cache.put_terms(text, terms, language)
    return terms
