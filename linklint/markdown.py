"""Links, headings, anchors, directives and prose of a Markdown body, with exact
positions.

markdown-it-py gives line ranges only for block tokens, and the ``href`` it stores
is normalised (percent-encoded, entities decoded), so neither says where a link
is. The inline rules that make links, images, autolinks, raw HTML, code spans,
emphasis delimiters, escapes and entities are wrapped to record where in the
block's inline ``content`` each construct starts and ends. An offset in that
content maps back to the source line by line: each content line is the end part
of its source line (container markers and indentation cut from the left). Every
span is then verified character by character against the source; what does not
verify is kept without a position to edit (``dest_span=None``) or dropped (prose).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.token import Token

from linklint.model import Directive, Heading, HtmlAnchor, Link, LinkKind, Prose, Span
from linklint.textpos import LineIndex

_RECORD = "_linklint_ranges"
# Inline rules whose source range is recorded; what they make is not prose.
_WRAPPED = ("link", "image", "autolink", "html_inline", "backticks", "emphasis", "strikethrough", "escape", "entity")

_LINE_END = re.compile(r"\r\n|\r")
_TEMPLATE_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}")
_EXPLICIT_ID = re.compile(r"\s*\{#([^\s{}]+)(?:\s+[^{}]*)?\}\s*$")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_DIRECTIVE = re.compile(
    r"^\s*linklint-(disable-next-line|disable-line|disable-file|disable|enable)\b([^>]*?)\s*$", re.S
)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    for name in _WRAPPED:
        _wrap_rule(md, name)
    md.core.ruler.at("inline", _inline_with_ranges)
    return md


def _wrap_rule(md: MarkdownIt, name: str) -> None:
    ruler = md.inline.ruler
    original = ruler.__rules__[ruler.__find__(name)].fn

    def recorded(state, silent: bool) -> bool:
        start = state.pos
        first = len(state.tokens)
        ok = original(state, silent)
        if ok and not silent:
            ranges = state.env.get(_RECORD)
            if ranges is not None:
                ranges.append((start, state.pos))
            for token in state.tokens[first:]:
                if token.type in ("link_open", "image", "code_inline", "html_inline"):
                    token.meta["range"] = (start, state.pos)
                    if name in ("link", "image"):
                        # Where the label ends tells inline from reference links.
                        opener = start + 1 if name == "image" else start
                        token.meta["label_end"] = state.md.helpers.parseLinkLabel(state, opener, name == "link")
                    break
        return ok

    ruler.at(name, recorded)


def _inline_with_ranges(state) -> None:
    """The core ``inline`` rule, recording each inline block's construct ranges."""
    for token in state.tokens:
        if token.type == "inline":
            ranges: list[tuple[int, int]] = []
            state.env[_RECORD] = ranges
            token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
            token.meta["ranges"] = ranges
    state.env.pop(_RECORD, None)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return _make_parser()


@dataclass
class Extracted:
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    html_anchors: list[HtmlAnchor] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)


def mask_templates(text: str) -> str:
    """Replace template tags that sit where a link destination is expected with
    same-length filler, so ``[t]({{< ref "a b.md" >}})`` stays one link."""

    def repl(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 3) : match.start()].rstrip(" <")
        if before.endswith(("](", "]:", "=", '="', "='")) or before.endswith("]("):
            return "x" * (match.end() - match.start())
        return match.group(0)

    if "{" not in text:
        return text
    return _TEMPLATE_TAG.sub(repl, text)


def extract(text: str, body_start: int = 0) -> Extracted:
    """Parse ``text`` (the whole file; everything before ``body_start``, the front
    matter, is blanked) and return what it contains, with offsets into ``text``."""
    prepared = text
    if body_start:
        head = re.sub(r"[^\r\n]", " ", text[:body_start])
        prepared = head + text[body_start:]
    # CommonMark normalises \r\n and \r to \n; lines stay the same, so positions
    # are computed per line and mapped back onto the original text.
    normal = _LINE_END.sub("\n", prepared)
    masked = mask_templates(normal)
    return _Walker(text, normal, masked).run()


class _Walker:
    def __init__(self, original: str, normal: str, masked: str) -> None:
        self.original = original
        self.orig_index = LineIndex(original)
        self.normal = normal
        self.masked = masked
        self.norm_index = LineIndex(normal)
        self.out = Extracted()
        self.definitions: dict[str, tuple[Span | None, str, str | None]] = {}
        self.definition_spans: dict[str, Span] = {}
        self.used_labels: set[str] = set()
        self.md = parser()

    # -- positions ------------------------------------------------------------------

    def to_original(self, norm_offset: int) -> int:
        line, column = self.norm_index.position(norm_offset)
        return self.orig_index.offset(line, column)

    def span(self, norm_start: int, norm_end: int) -> Span:
        return self.orig_index.span(self.to_original(norm_start), self.to_original(norm_end))

    def verified(self, norm_start: int, norm_end: int) -> Span | None:
        """A span whose text in the original equals the parsed text."""
        span = self.span(norm_start, norm_end)
        if self.original[span.start : span.end].replace("\r\n", "\n").replace("\r", "\n") != self.normal[norm_start:norm_end]:
            return None
        return span

    # -- walk ---------------------------------------------------------------------

    def run(self) -> Extracted:
        env: dict = {}
        tokens = self.md.parse(self.masked, env)
        for token in tokens:
            if token.type == "definition":
                self._definition(token)
        heading_level = 0
        for i, token in enumerate(tokens):
            if token.type == "heading_open":
                heading_level = int(token.tag[1])
            elif token.type == "heading_close":
                heading_level = 0
            elif token.type == "inline" and token.map is not None:
                starts = self._content_starts(token)
                if heading_level:
                    self._heading(token, heading_level, starts)
                self._inline(token, starts, in_heading=bool(heading_level))
            elif token.type == "html_block" and token.map is not None:
                self._html_block(token)
        for label, (span, destination, raw_label) in self.definitions.items():
            if label not in self.used_labels and label in self.definition_spans:
                self.out.links.append(
                    Link(
                        LinkKind.DEFINITION,
                        destination,
                        raw_label or "",
                        self.definition_spans[label],
                        span,
                        label=raw_label,
                    )
                )
        self.out.links.sort(key=lambda link: link.span.start)
        return self.out

    def _content_starts(self, token: Token) -> list[int | None]:
        """For each line of an inline token's content, the offset in the
        normalised text where it starts (None when it cannot be found)."""
        first_line = token.map[0] + 1
        starts: list[int | None] = []
        hint_column = 0
        for k, piece in enumerate(token.content.split("\n")):
            line_no = first_line + k
            if line_no > self.norm_index.line_count:
                starts.append(None)
                continue
            masked_line = self._masked_line(line_no)
            line_start = self.norm_index.line_start(line_no)
            offset = len(masked_line.rstrip()) - len(piece.rstrip())
            if not (0 <= offset and masked_line.startswith(piece, offset)):
                offset = masked_line.find(piece, hint_column if k == 0 else 0)
            if offset < 0 or (not piece and k):
                starts.append(None if offset < 0 else line_start + offset)
                continue
            starts.append(line_start + offset)
        return starts

    def _masked_line(self, line_no: int) -> str:
        start = self.norm_index.line_start(line_no)
        end = start + len(self.norm_index.line_text(line_no))
        return self.masked[start:end]

    def _content_offset(self, token: Token, starts: list[int | None], pos: int) -> int | None:
        """Normalised-text offset of position ``pos`` of the token's content."""
        breaks = token.meta.get("breaks")
        if breaks is None:
            content = token.content
            breaks = token.meta["breaks"] = [i for i, ch in enumerate(content) if ch == "\n"] if "\n" in content else []
        line = bisect.bisect_left(breaks, pos)
        line_begin = breaks[line - 1] + 1 if line else 0
        base = starts[line] if line < len(starts) else None
        if base is None:
            return None
        return base + (pos - line_begin)

    def _content_span(self, token: Token, starts: list[int | None], a: int, b: int) -> tuple[int, int] | None:
        start = self._content_offset(token, starts, a)
        end = self._content_offset(token, starts, b) if b > a else start
        if start is None or end is None:
            return None
        if self.masked[start:end] != token.content[a:b].replace("\n", "\n"):
            # Lines of a multi-line construct are joined without their container
            # prefixes in the content; compare line by line.
            if "\n" not in token.content[a:b]:
                return None
            if self.masked[start:end].split("\n")[0] != token.content[a:b].split("\n")[0]:
                return None
        return start, end

    # -- inline content -----------------------------------------------------------

    def _inline(self, token: Token, starts: list[int | None], in_heading: bool) -> None:
        children = token.children or []
        i = 0
        while i < len(children):
            child = children[i]
            if child.type == "link_open":
                close = _matching_close(children, i)
                self._link(token, starts, child, _plain_text(children[i + 1 : close]), image=False)
                i = close
            elif child.type == "image":
                self._link(token, starts, child, _plain_text(child.children or []), image=True)
            elif child.type == "html_inline":
                self._html_inline(token, starts, child, _html_link_text(children, i))
            i += 1
        self._prose(token, starts, in_heading)

    def _link(self, token: Token, starts, child: Token, text: str, image: bool) -> None:
        rng = child.meta.get("range")
        if rng is None:
            return
        a, b = rng
        whole = self._content_span(token, starts, a, b)
        if whole is None:
            return
        span = self.verified(*whole) or self.span(*whole)
        content = token.content
        if child.markup == "autolink" or child.info == "auto":
            self._autolink(token, starts, child, a, b, span)
            return
        href = child.attrs.get("src" if image else "href", "")
        title = child.attrs.get("title")
        label_start = a + (2 if image else 1)
        label_end = child.meta.get("label_end", -1)
        if label_end < 0:
            return
        after = label_end + 1
        if after < b and content[after] == "(":
            dest = self._inline_destination(token, starts, content, after + 1, b)
            if dest is not None:
                dest_span, destination = dest
                self.out.links.append(
                    Link(LinkKind.INLINE, destination, text, span, dest_span, image, title if title else None)
                )
                return
        kind, label = _reference_kind(content, label_start, label_end, b)
        key = normalizeReference(label)
        self.used_labels.add(key)
        dest_span, destination, _ = self.definitions.get(key, (None, str(href), None))
        self.out.links.append(Link(kind, destination, text, span, dest_span, image, title if title else None, label))

    def _inline_destination(self, token, starts, content: str, pos: int, end: int):
        while pos < end and content[pos] in " \t\n":
            pos += 1
        result = self.md.helpers.parseLinkDestination(content, pos, end)
        if not result.ok:
            if pos < end and content[pos] == ")":
                # `[text]()`: an inline link with an empty destination.
                where = self._content_span(token, starts, pos, pos)
                return (self.verified(*where) if where else None), ""
            return None
        dest_start, dest_end = pos, result.pos
        if dest_start < dest_end and content[dest_start] == "<":
            dest_start, dest_end = dest_start + 1, dest_end - 1
        where = self._content_span(token, starts, dest_start, dest_end)
        if where is None:
            return None, _decode(content[dest_start:dest_end])
        dest_span = self.verified(*where)
        raw = self.original[dest_span.start : dest_span.end] if dest_span else content[dest_start:dest_end]
        return dest_span, _decode(raw)

    def _autolink(self, token, starts, child: Token, a: int, b: int, span: Span) -> None:
        inner = self._content_span(token, starts, a + 1, b - 1)
        dest_span = self.verified(*inner) if inner else None
        raw = token.content[a + 1 : b - 1]
        destination = raw if ":" in raw else "mailto:" + raw
        self.out.links.append(Link(LinkKind.AUTOLINK, destination, raw, span, dest_span))

    def _html_inline(self, token, starts, child: Token, text: str) -> None:
        rng = child.meta.get("range")
        if rng is None:
            return
        where = self._content_span(token, starts, *rng)
        if where is None:
            return
        self._html(child.content, where[0], text)

    # -- headings -------------------------------------------------------------------

    def _heading(self, token: Token, level: int, starts) -> None:
        text = _plain_text(token.children or [], keep_html=False).strip()
        explicit = None
        match = _EXPLICIT_ID.search(text)
        if match:
            explicit = match.group(1)
            text = text[: match.start()].rstrip()
        first = starts[0] if starts else None
        if first is None:
            line = token.map[0] + 1
            start = self.norm_index.line_start(line)
            first_end = start + len(self.norm_index.line_text(line))
            span = self.span(start, first_end)
        else:
            end = self._content_offset(token, starts, len(token.content))
            span = self.span(first, end if end is not None else first)
        self.out.headings.append(Heading(level, text, span, explicit))

    # -- raw HTML -------------------------------------------------------------------

    def _html_block(self, token: Token) -> None:
        # Comments may span lines: work on the block's source range as a whole
        # (the HTML itself is kept verbatim by CommonMark, container prefixes aside).
        start_line = token.map[0] + 1
        end_line = min(token.map[1], self.norm_index.line_count)
        start = self.norm_index.line_start(start_line)
        end = self.norm_index.line_start(end_line) + len(self.norm_index.line_text(end_line))
        self._html(self.masked[start:end], start)

    def _html(self, fragment: str, base: int, inline_text: str | None = None) -> None:
        """Directives, anchors and links in a piece of raw HTML that starts at
        normalised offset ``base``."""
        blank = list(fragment)
        for comment in _COMMENT.finditer(fragment):
            self._directive(comment.group(1), base + comment.start())
            for i in range(comment.start(), comment.end()):
                if blank[i] not in "\n":
                    blank[i] = " "
        visible = "".join(blank)
        for tag in _TAG.finditer(visible):
            name = tag.group(1).lower()
            for attr in _ATTR.finditer(tag.group(2) or ""):
                key = attr.group(1).lower()
                value_group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
                if value_group is None:
                    continue
                value = attr.group(value_group)
                v_start = base + tag.start(2) + attr.start(value_group)
                v_end = v_start + len(value)
                if key in ("id",) or (key == "name" and name == "a"):
                    self.out.html_anchors.append(HtmlAnchor(html.unescape(value), self.span(v_start, v_end)))
                if (key == "href" and name in ("a", "area", "link")) or (key == "src" and name in ("img", "source", "video", "audio", "iframe")):
                    tag_span = self.span(base + tag.start(), base + tag.end())
                    dest_span = self.verified(v_start, v_end)
                    text = inline_text if inline_text is not None else _block_link_text(visible, tag.end())
                    self.out.links.append(
                        Link(LinkKind.HTML, html.unescape(self.original[dest_span.start:dest_span.end] if dest_span else value), text, tag_span, dest_span, image=(key == "src"))
                    )

    def _directive(self, body: str, offset: int) -> None:
        match = _DIRECTIVE.match(body)
        if not match:
            return
        codes = tuple(w for w in re.split(r"[\s,]+", match.group(2).strip()) if w)
        line, _ = self.norm_index.position(offset)
        self.out.directives.append(Directive(match.group(1), codes, line))

    # -- definitions ---------------------------------------------------------------

    def _definition(self, token: Token) -> None:
        label = token.meta.get("label", "")
        key = normalizeReference(label)
        if key in self.definitions or token.map is None:
            return  # the first definition of a label wins
        start = self.norm_index.line_start(token.map[0] + 1)
        end_line = min(token.map[1], self.norm_index.line_count)
        end = self.norm_index.line_start(end_line) + len(self.norm_index.line_text(end_line))
        region = self.masked[start:end]
        found = re.search(r"\[" + re.escape(label) + r"\]:", region)
        url = token.meta.get("url", "")
        if not found:
            self.definitions[key] = (None, url, label)
            return
        pos = start + found.end()
        pos = _skip_space(self.masked, pos, end)
        result = self.md.helpers.parseLinkDestination(self.masked, pos, end)
        if not result.ok or self.md.normalizeLink(result.str) != url:
            self.definitions[key] = (None, url, label)
            return
        d_start, d_end = pos, result.pos
        if d_start < d_end and self.masked[d_start] == "<":
            d_start, d_end = d_start + 1, d_end - 1
        dest_span = self.verified(d_start, d_end)
        raw = self.original[dest_span.start : dest_span.end] if dest_span else self.normal[d_start:d_end]
        self.definition_spans[key] = self.span(start + found.start(), result.pos)
        self.definitions[key] = (dest_span, _decode(raw), label)

    # -- prose -----------------------------------------------------------------------

    def _prose(self, token: Token, starts, in_heading: bool) -> None:
        content = token.content
        ranges = sorted(token.meta.get("ranges", ()))
        pos = 0
        gaps: list[tuple[int, int]] = []
        for a, b in ranges:
            if a > pos:
                gaps.append((pos, a))
            pos = max(pos, b)
        if pos < len(content):
            gaps.append((pos, len(content)))
        for a, b in gaps:
            line_start = a
            while line_start < b:
                line_end = content.find("\n", line_start, b)
                if line_end < 0:
                    line_end = b
                self._prose_piece(token, starts, line_start, line_end, in_heading)
                line_start = line_end + 1

    def _prose_piece(self, token, starts, a: int, b: int, in_heading: bool) -> None:
        piece = token.content[a:b]
        stripped = piece.strip()
        if not stripped:
            return
        a += len(piece) - len(piece.lstrip())
        b = a + len(stripped)
        if in_heading:
            match = _EXPLICIT_ID.search(stripped)
            if match:
                b = a + match.start()
                stripped = stripped[: match.start()]
                if not stripped:
                    return
        where = self._content_span(token, starts, a, b)
        if where is None:
            return
        span = self.verified(*where)
        if span is None:
            return
        self.out.prose.append(Prose(self.original[span.start : span.end], span, in_heading))


def _html_link_text(children: list[Token], i: int) -> str:
    """Text between an inline ``<a …>`` and its ``</a>``."""
    if not children[i].content.lower().startswith("<a"):
        return ""
    parts = []
    for token in children[i + 1 :]:
        if token.type == "html_inline" and token.content.lower().startswith("</a"):
            break
        parts.append(_plain_text([token]))
    return "".join(parts).strip()


def _block_link_text(html_text: str, start: int) -> str:
    end = html_text.lower().find("</a", start)
    if end < 0:
        return ""
    inner = re.sub(r"<[^>]*>", "", html_text[start:end])
    return " ".join(html.unescape(inner).split())


def _skip_space(text: str, pos: int, end: int) -> int:
    """Spaces and at most one line break (with its container prefix)."""
    while pos < end and text[pos] in " \t":
        pos += 1
    if pos < end and text[pos] == "\n":
        pos += 1
        while pos < end and text[pos] in " \t>":
            pos += 1
    return pos


def _decode(raw: str) -> str:
    """A destination as written, with backslash escapes and entities decoded."""
    return unescapeAll(raw)


def _reference_kind(content: str, label_start: int, label_end: int, end: int) -> tuple[LinkKind, str]:
    after = label_end + 1
    if after < end and content[after] == "[":
        close = content.find("]", after)
        inner = content[after + 1 : close] if close > 0 else ""
        if inner == "":
            return LinkKind.COLLAPSED, content[label_start:label_end]
        return LinkKind.REFERENCE, inner
    return LinkKind.SHORTCUT, content[label_start:label_end]


def _matching_close(children: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(children)):
        if children[j].type == "link_open":
            depth += 1
        elif children[j].type == "link_close":
            depth -= 1
            if depth == 0:
                return j
    return len(children) - 1


def _plain_text(tokens: list[Token], keep_html: bool = False) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_plain_text(token.children or []))
        elif token.type == "html_inline" and keep_html:
            parts.append(token.content)
    return "".join(parts)
