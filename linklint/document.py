"""One file's bytes to one immutable ``Document``. Never raises on bad input:
what is wrong goes into ``Document.problems``."""

from __future__ import annotations

from linklint.decode import decode
from linklint.frontmatter import FrontMatter, split
from linklint.markdown import Extracted, extract
from linklint.model import Document, Problem, ProseRuns, Span, is_mdx
from linklint.textpos import LineIndex


def parse_document(path: str, data: bytes, *, max_bytes: int = 5_000_000) -> Document:
    """Parse one page. ``path`` is POSIX, relative to the repository root."""
    if len(data) > max_bytes:
        message = f"file is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit (max_file_size); not checked"
        return Document(path=path, text="", problems=(Problem("LL901", message),))
    decoded = decode(data)
    if isinstance(decoded, Problem):
        return Document(path=path, text="", problems=(decoded,))
    text, bom = decoded
    index = LineIndex(text)
    fm = split(text, index)
    problems = [fm.problem] if fm.problem else []
    try:
        found = extract(text, fm.body_start, index, mdx=is_mdx(path))
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop a whole site's run
        found = Extracted()
        problems.append(Problem("LL901", f"could not be parsed as Markdown ({type(exc).__name__}: {exc}); not checked"))
    title, title_span = _title(fm, index, found)
    return Document(
        path=path,
        text=text,
        bom=bom,
        front_matter=fm.data,
        front_matter_format=fm.format,
        front_matter_span=fm.span,
        body_line=fm.body_line,
        title=title,
        title_span=title_span,
        headings=tuple(found.headings),
        html_anchors=tuple(found.html_anchors),
        links=tuple(found.links),
        directives=tuple(found.directives),
        prose=ProseRuns(text, found.prose),
        problems=tuple(problems),
    )


def _title(fm: FrontMatter, index: LineIndex, found: Extracted) -> tuple[str | None, Span | None]:
    """The front matter's `title`, pointing at its line; else the first level-1
    heading, from the start of its line."""
    title = fm.data.get("title")
    if isinstance(title, str) and title.strip():
        line = fm.key_lines.get("title")
        if line is None:
            return title.strip(), None
        start = index.line_start(line)
        return title.strip(), index.span(start, start + len(index.line_text(line)))
    for heading in found.headings:
        if heading.level == 1 and heading.text:
            line_start = index.line_start(heading.span.line)
            span = index.span(line_start, heading.span.end) if heading.span.end >= line_start else heading.span
            return heading.text, span
    return None, None
