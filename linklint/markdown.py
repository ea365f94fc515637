"""Links, headings, anchors, directives and prose of a Markdown body, with exact
positions.

markdown-it-py gives line ranges only for block tokens, and the ``href`` it stores
is normalised (percent-encoded, entities decoded), so neither says where a link
is. The inline rules that make links, images, autolinks, raw HTML, code spans,
emphasis delimiters, escapes and entities are wrapped to record where in the
block's inline ``content`` each construct starts and ends. An offset in that
content maps back to the source line by line: each content line is the end part
of its source line (container markers and indentation cut from the left); table
cells get their exact start from a wrapped table rule. Every span is then
verified character by character against the source; what does not verify is
kept without a position to edit (``dest_span=None``) or dropped (prose).
"""

from __future__ import annotations

import bisect
import html
import re
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from types import FunctionType, MappingProxyType, MethodType, SimpleNamespace
from typing import Any, Callable

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import MD_TRIM_CHARS, normalizeReference, unescapeAll
from markdown_it.token import Token

from linklint.mdlists import LEAN, list_rule
from linklint.mdhelpers import PlainOptions, link_label_parser, normalize_link, parse_link_destination
from linklint.model import Directive, Heading, HtmlAnchor, Link, LinkKind, Span
from linklint.textpos import LineIndex

# Keys in markdown-it's ``env`` while one inline block is parsed: the block's
# content (to tell it from nested parses of image alt text, whose offsets are
# relative to the alt text), the recorded ranges, and emphasis delimiters whose
# fate is known only after the whole block is parsed.
_SRC = "_linklint_src"
_RANGES = "_linklint_ranges"
_DELIMITERS = "_linklint_delimiters"
# Key in ``env`` from the inline rule to ``text_join``: the inline tokens whose
# content may hold an escape or an entity (see ``_join_text_only_where_escaped``).
_ESCAPED = "_linklint_escaped"

# Inline rules whose source range is recorded (what they make is not prose), with
# the characters they can start at: the wrapper returns early everywhere else.
_WRAPPED = {
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "backticks": "`",
    "emphasis": "*_",
    "strikethrough": "~",
    "escape": "\\",
    "entity": "&",
}
_DELIMITER_RULES = ("emphasis", "strikethrough")
_POSITIONED = ("link_open", "image", "code_inline", "html_inline")

_LINE_END = re.compile(r"\r\n|\r")
_TEMPLATE_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}")
# Template tags in running text, possibly over several lines (Hugo shortcode
# arguments); bounded so that an unclosed `{{` cannot make the scan quadratic.
_TEMPLATE_SPAN = re.compile(r"\{\{.{0,2000}?\}\}|\{%.{0,2000}?%\}", re.S)
# Where a template tag stands for (part of) a link destination: after `](`,
# `]:` or an HTML attribute's `=`, possibly after other destination characters.
_DESTINATION_CONTEXT = re.compile(r"(?:\]\([ \t]*<?|\]:[ \t]*<?|=[ \t]*[\"']?)[^\s()<>\"']*$")
_EXPLICIT_ID = re.compile(r"\s*\{#([^\s{}]+)(?:\s+[^{}]*)?\}\s*$")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
# An MDX expression, `{props.title}` (one level of braces inside; template
# tags `{{ … }}` are one too).
_JSX_EXPRESSION = re.compile(r"\{(?:[^{}]|\{[^{}]*\})*\}")
# MDX has no HTML comments (its parser stops at `<!--`); a comment is a JSX
# expression holding only a JavaScript comment.
_JSX_COMMENT = re.compile(r"\{/\*(.*?)\*/\}", re.S)
_DIRECTIVE = re.compile(
    r"^\s*linklint-(disable-next-line|disable-line|disable-file|disable|enable)\b([^>]*?)\s*$", re.S
)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_OPEN_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_NOT_NEWLINE = re.compile(r"[^\n]")
# Inline HTML elements whose text is not prose: a link inserted there would nest
# a link in a link or land in code.
_NO_PROSE_ELEMENTS = frozenset({"a", "code", "kbd", "samp", "pre", "script", "style", "tt", "var"})
_LINK_ATTRS = {"href": ("a", "area", "link"), "src": ("img", "source", "video", "audio", "iframe")}


# -- the parser -------------------------------------------------------------------


def _make_parser(mdx: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    if mdx:
        # MDX has neither indented code nor HTML blocks (its tags are JSX):
        # a fence or a heading indented inside a component is one, and a
        # line starting with a tag is a paragraph, inline HTML in it. With
        # ``code`` off markdown-it-py lets every block start at any indent,
        # as MDX's parser does.
        md.disable(["code", "html_block"])
        md.block.ruler.before("paragraph", "mdx_esm", _mdx_esm)
    # Same results as markdown-it-py's own helpers, without a Python step per
    # character of every link destination.
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    md.options = PlainOptions(md.options)
    md.helpers = SimpleNamespace(
        parseLinkLabel=_PARSE_LINK_LABEL,
        parseLinkDestination=parse_link_destination,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    _plain_inline_links(md)
    for name, starts in _WRAPPED.items():
        _wrap_inline_rule(md, name, starts)
    md.inline.ruler2.before("fragments_join", "linklint_delimiters", _settle_delimiters)
    _wrap_table_rule(md)
    _replace_rule(md.core.ruler, "inline", _inline_with_ranges)
    _normalize_only_when_needed(md)
    _join_text_only_where_escaped(md)
    _quiet_block_rules(md)
    _one_scan_per_paragraph(md)
    _hr_only_where_one_can_be(md)
    _one_line_list_items(md)
    _cheaper_tokens(md)
    _dispatch_block_rules(md)
    _dispatch_inline_rules(md)
    _post_process_only_with_delimiters(md)
    return md


_ESM_START = re.compile(r"(?:import|export)[\s{*]")


def _mdx_esm(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """MDX's `import` and `export` statements: a paragraph at the top level
    whose first line starts with one is JavaScript, to the next blank line.
    It is neither prose nor links (a link inserted into an `import` line
    would break the build); its token has no inline content."""
    # At the top level (not `parentType`: markdown-it's lheading rule leaves
    # it set to "paragraph" when it finds no underline).
    if state.level != 0 or state.sCount[start_line] != 0:
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if not _ESM_START.match(state.src, pos):
        return False
    if silent:
        return True
    line = start_line + 1
    while line < end_line and not state.isEmpty(line):
        line += 1
    token = state.push("mdx_esm", "", 0)
    token.map = [start_line, line]
    token.content = state.getLines(start_line, line, 0, False)
    state.line = line
    return True


def _rule_function(ruler: Any, name: str) -> Callable[..., Any]:
    return ruler.__rules__[ruler.__find__(name)].fn


def _replace_rule(ruler: Any, name: str, fn: Callable[..., Any]) -> None:
    """The rule ``name`` runs ``fn`` instead, with the same alternatives (the
    rules it may interrupt): ``Ruler.at`` without options drops them, and a
    table then could not interrupt a paragraph."""
    alternatives = list(ruler.__rules__[ruler.__find__(name)].alt)
    ruler.at(name, fn, {"alt": alternatives})


def _normalize_only_when_needed(md: MarkdownIt) -> None:
    """markdown-it-py's ``normalize`` rule turns line endings into newlines
    and NUL into U+FFFD with two substitutions over the whole text, the first
    of them replacing every newline by itself (2-5% of parsing). ``extract``
    hands the parser text that has neither left; the rule still runs on any
    text that has them."""
    original = _rule_function(md.core.ruler, "normalize")

    def normalize(state: Any) -> None:
        if "\r" in state.src or "\0" in state.src:
            original(state)

    _replace_rule(md.core.ruler, "normalize", normalize)


# Takes any arguments, does nothing, in C: markdown-it-py's debug lines go here.
_NO_LOG = SimpleNamespace(debug="".format)


def _quiet_block_rules(md: MarkdownIt) -> None:
    """markdown-it-py's block rules log a debug line each time they are tried,
    hundreds of thousands of calls at 1,000 posts (3–4% of parsing) even with
    logging off. This parser runs copies of them whose ``LOGGER`` is
    ``_NO_LOG``; markdown-it-py's own functions and modules are untouched."""
    ruler = md.block.ruler
    for rule in list(ruler.__rules__):
        quiet = _with_globals(rule.fn, {"LOGGER": _NO_LOG})
        if quiet is not None:
            _replace_rule(ruler, rule.name, quiet)


# The characters a line must start with (after its indentation) for a block rule
# to match it: CommonMark's own conditions, each checked unconditionally by the
# rule before it can succeed. A rule not named here is tried on every line.
_BLOCK_STARTS = {
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
    "mdx_esm": "ie",
}
_FENCE_MARKERS = "`~"


def _block_rule_starts(name: str, fn: Callable[..., Any]) -> str | None:
    """The characters rule ``name`` can match a line starting with (None: any)."""
    if name == "fence":
        # markdown-it-py 4 makes its fence rule for a set of markers it keeps
        # in the rule's closure; older versions know backticks and tildes.
        code = getattr(fn, "__code__", None)
        if code is not None and "markers" in code.co_freevars:
            markers = fn.__closure__[code.co_freevars.index("markers")].cell_contents  # type: ignore[index]
            return "".join(markers)
        return _FENCE_MARKERS
    return _BLOCK_STARTS.get(name)


def _dispatch_block_rules(md: MarkdownIt) -> None:
    """markdown-it-py tries every block rule on every line it starts a block
    at, and every rule that can end a paragraph, a list item or a quote on
    every line of one: a hr, a fence, a quote, a list, HTML and a heading
    looked for on each line of prose, each a Python call that logs and
    returns False (a quarter of block parsing). Here ``getRules(chain)``
    answers a chain of one function that tries only the rules the line's
    first character allows, in the chain's order. Callers stop at the first
    rule that matches, so one function that answers whether any did is the
    same to them. The rules and their order are untouched; the chains are
    built once, from the rules as they are now."""
    ruler = md.block.ruler
    names = {id(rule.fn): rule.name for rule in ruler.__rules__}
    chains: dict[str, list[Callable[..., bool]]] = {}
    for chain in {""} | {chain for rule in ruler.__rules__ for chain in rule.alt}:
        rules = ruler.getRules(chain)
        if rules:
            first = _first_matching(rules, [_block_rule_starts(names.get(id(fn), ""), fn) for fn in rules])
            chains[chain] = [_where_paragraph_ends(first) if chain == "paragraph" else first]
    _answer_chains(ruler, chains)


def _answer_chains(ruler: Any, chains: dict[str, list[Callable[..., Any]]]) -> None:
    """``ruler.getRules(name)`` answers ``chains[name]`` where it is given,
    else what it answered before."""
    original = ruler.getRules

    def get_rules(chain_name: str = "") -> list[Callable[..., Any]]:
        return chains.get(chain_name) or original(chain_name)

    ruler.getRules = get_rules  # type: ignore[method-assign]


def _first_matching(rules: list[Callable[..., bool]], starts: list[str | None]) -> Callable[..., bool]:
    """One block rule that matches where the first of ``rules`` that may
    (``starts``: the characters each can match a line starting with, None
    for any) matches."""
    anywhere = tuple(fn for fn, chars in zip(rules, starts) if chars is None)
    by_char = {
        char: tuple(fn for fn, chars in zip(rules, starts) if chars is None or char in chars)
        for char in set("".join(chars for chars in starts if chars))
    }

    def first_matching(state: Any, line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        src = state.src
        for rule in by_char.get(src[pos], anywhere) if pos < len(src) else anywhere:
            if rule(state, line, end_line, silent):
                return True
        return False

    return first_matching


# The inline parser's steps after its tokens are made: all of them work on the
# delimiter runs of emphasis and strikethrough (pairing them, making tags or
# text of them, joining that text with its neighbours).
_POST_PROCESSING = ("balance_pairs", "strikethrough", "emphasis", "linklint_delimiters", "fragments_join")


def _post_process_only_with_delimiters(md: MarkdownIt) -> None:
    """After the inline parser has made a block's tokens, its second chain
    of rules pairs emphasis and strikethrough delimiters, turns them into
    tags or text and joins the text with its neighbours: five rules, each
    walking the block's tokens or delimiter lists, on every block with any
    markup (a fortieth of kubernetes/community's parsing). Content without
    `*`, `_` or `~` has no delimiter run, and then none of them changes
    anything: ``getRules("")`` answers one function that runs them only
    where the content has one."""
    ruler2 = md.inline.ruler2
    if tuple(rule.name for rule in ruler2.__rules__ if rule.enabled) != _POST_PROCESSING:
        return
    rules = ruler2.getRules("")

    def post_process(state: Any) -> None:
        src = state.src
        if "*" in src or "_" in src or "~" in src:
            for rule in rules:
                rule(state)

    _answer_chains(ruler2, {"": [post_process]})


def _dispatch_inline_rules(md: MarkdownIt) -> None:
    """markdown-it-py's inline parser tries its rules in turn at every
    character that ends a run of plain text: at each `-`, `:` or `=` of a
    sentence, eleven Python calls that say no before the character is taken
    as text. Here ``getRules("")`` answers a chain of one function that tries
    only the rules the character allows, in the chain's order: ``text`` where
    it is not one of the parser's terminators (there it always moves on, and
    nothing after it is tried), ``newline`` at a line break, each rule of
    ``_WRAPPED`` at its characters (its wrapper says no elsewhere), and any
    other rule everywhere. Callers (the tokenizer, ``skipToken``) stop at the
    first rule that matches, so they see the same answers. Left as it is
    where the text rule is not markdown-it-py's own, which stops exactly at
    the characters of ``terminator_re`` (markdown-it-py 4)."""
    from markdown_it.rules_inline import text as text_rule

    ruler = md.inline.ruler
    terminators = getattr(md.inline, "terminator_re", None)
    rules = list(ruler.getRules(""))
    if terminators is None or not rules or rules[0] is not text_rule:
        return
    names = {id(rule.fn): rule.name for rule in ruler.__rules__}
    starts: list[str | None] = []
    for fn in rules[1:]:
        name = names.get(id(fn), "")
        starts.append("\n" if name == "newline" else _WRAPPED.get(name))
    anywhere = tuple(fn for fn, chars in zip(rules[1:], starts) if chars is None)
    plain = (text_rule, *anywhere)  # not a terminator: text moves on
    stops = {char for chars in starts if chars for char in chars}
    by_char = {}
    for char in stops:
        after = tuple(fn for fn, chars in zip(rules[1:], starts) if chars is None or char in chars)
        by_char[char] = after if terminators.match(char) else (text_rule, *after)
    is_terminator = terminators.match

    def first_matching(state: Any, silent: bool) -> bool:
        char = state.src[state.pos]
        candidates = by_char.get(char)
        if candidates is None:
            candidates = anywhere if is_terminator(char) else plain
        for rule in candidates:
            if rule(state, silent):
                return True
        return False

    _answer_chains(ruler, {"": [first_matching]})


# Key in ``env`` while the paragraph rule runs to the line where
# ``_one_scan_per_paragraph`` found the paragraph to end (its value).
_PARAGRAPH_END = "_linklint_paragraph_end"
# A setext heading's underline: `=` or `-` repeated, then only spaces and tabs
# (markdown-it-py's lheading rule: ``skipCharsStr``, ``skipSpaces``, line end).
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")


def _one_scan_per_paragraph(md: MarkdownIt) -> None:
    """Find where a paragraph ends once, not twice.

    At the start of every paragraph markdown-it-py's lheading rule looks
    through the following lines for a setext underline, asking at each line
    every rule that can end a paragraph (a list item, a fence, a quote ...)
    whether it starts there; finding none, it gives up and the paragraph rule
    walks the same lines asking the same rules again: on pages of long lists
    each item's paragraph asks twice whether the next item starts. Here one
    function takes lheading's place: it walks the
    lines as lheading does; where lheading would find an underline it runs
    lheading itself, else the rules between the two (MDX's ``import``) and
    then the paragraph rule, whose questions about where the paragraph ends
    are answered from the walk (``_where_paragraph_ends``). Where the two
    rules would walk different lines (a code block's indentation, a block
    nested so that lheading's end is not the paragraph's), both run as
    before."""
    ruler = md.block.ruler
    enabled = ruler.getRules("")
    lheading = _rule_function(ruler, "lheading")
    paragraph = _rule_function(ruler, "paragraph")
    if lheading not in enabled or paragraph not in enabled or enabled.index(lheading) > enabled.index(paragraph):
        return
    between = tuple(enabled[enabled.index(lheading) + 1 : enabled.index(paragraph)])
    underline = _UNDERLINE.fullmatch

    def lheading_or_paragraph(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        if end_line != state.lineMax or state.is_code_block(start_line):
            if lheading(state, start_line, end_line, silent):
                return True
            return any(rule(state, start_line, end_line, silent) for rule in between) or paragraph(state, start_line, end_line, silent)
        terminators = state.md.block.ruler.getRules("paragraph")
        src, b_marks, t_shift, e_marks, s_count = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
        indent = state.blkIndent
        parent = state.parentType
        state.parentType = "paragraph"  # as lheading sets it, to ask the rules
        line = start_line + 1
        asked = False
        while line < end_line:
            pos = b_marks[line] + t_shift[line]
            end = e_marks[line]
            if pos >= end:
                break  # a blank line
            if s_count[line] - indent > 3:
                line += 1
                continue
            if s_count[line] >= indent and src[pos] in "=-" and underline(src, pos, end) is not None:
                state.parentType = parent
                return lheading(state, start_line, end_line, silent)
            if s_count[line] < 0:
                line += 1
                continue
            asked = True
            if _starts_a_block(terminators, state, line, end_line):
                break
            line += 1
        # No underline: lheading would return False here, leaving the parent
        # type "paragraph" (it does not put it back).
        for rule in between:
            if rule(state, start_line, end_line, silent):
                return True
        if not asked:
            return paragraph(state, start_line, end_line, silent)  # it asks nothing either
        # The paragraph rule walks to ``lineMax``: made the line found, it
        # stops there, and the lines before it are answered from the walk.
        env = state.env
        env[_PARAGRAPH_END] = line
        state.lineMax = line
        try:
            return paragraph(state, start_line, end_line, silent)
        finally:
            state.lineMax = end_line
            del env[_PARAGRAPH_END]

    _replace_rule(ruler, "lheading", lheading_or_paragraph)


def _starts_a_block(rules: list[Callable[..., bool]], state: Any, line: int, end_line: int) -> bool:
    for rule in rules:
        if rule(state, line, end_line, True):
            return True
    return False


def _where_paragraph_ends(first_matching: Callable[..., bool]) -> Callable[..., bool]:
    """The chain of rules that can end a paragraph, answering "no" while the
    paragraph rule runs to where ``_one_scan_per_paragraph`` found the
    paragraph to end: no rule said yes at a line before that one."""

    def ends_paragraph(state: Any, line: int, end_line: int, silent: bool) -> bool:
        if _PARAGRAPH_END in state.env:
            return False
        return first_matching(state, line, end_line, silent)

    return ends_paragraph


# A thematic break: three or more of one marker with nothing but spaces and
# tabs around them, from the line's first non-space character to its end.
_THEMATIC_BREAKS = {marker: re.compile(rf"\{marker}(?:[ \t]*\{marker}){{2,}}[ \t]*") for marker in "*-_"}


def _hr_only_where_one_can_be(md: MarkdownIt) -> None:
    """The hr rule is tried on every line starting with `-`, `*` or `_`
    (every item of a bullet list, as a block and as the end of the
    paragraph before it) and walks the line in Python to say no. It can
    only say yes to a line ``_THEMATIC_BREAKS`` matches: elsewhere the
    answer is no without the call."""
    ruler = md.block.ruler
    hr = _rule_function(ruler, "hr")

    def thematic_break(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        end = state.eMarks[start_line]
        pattern = _THEMATIC_BREAKS.get(state.src[pos]) if pos < end else None
        if pattern is None or pattern.fullmatch(state.src, pos, end) is None:
            return False
        return hr(state, start_line, end_line, silent)

    _replace_rule(ruler, "hr", thematic_break)


def _one_line_list_items(md: MarkdownIt) -> None:
    """The list rule of ``mdlists``: a list item of one line of text gets its
    paragraph without a turn of the block tokenizer. Built from the rules as
    they are now (before ``_dispatch_block_rules`` makes its chains of them)."""
    ruler = md.block.ruler
    starts = {rule.name: _block_rule_starts(rule.name, rule.fn) for rule in ruler.__rules__ if rule.enabled}
    rule = list_rule(md, starts)
    if rule is not None and "list" in starts:
        _replace_rule(ruler, "list", rule)


def _join_text_only_where_escaped(md: MarkdownIt) -> None:
    """markdown-it-py's ``text_join`` rule walks every inline token's
    children to turn the ``text_special`` tokens of escapes (``\\*``) and
    entities (``&amp;``) into text and join them with the text around them
    (other neighbouring text tokens the inline parser has joined already).
    Only content with a backslash or an ampersand can have them: the inline
    rule hands over those tokens (``_ESCAPED``), and ``text_join`` walks
    just them (a sixtieth of kubernetes/community's parsing time went to
    walking the others)."""
    original = _rule_function(md.core.ruler, "text_join")

    def text_join(state: Any) -> None:
        escaped = state.env.pop(_ESCAPED, None)
        original(state if escaped is None else SimpleNamespace(tokens=escaped))

    _replace_rule(md.core.ruler, "text_join", text_join)


# The kinds of token whose ``attrs`` and ``meta`` nothing fills in place (the
# rules that write them are markdown-it-py's for options this parser leaves
# off: task lists, alerts, kept labels; linklint writes only the ``meta`` of
# inline, link, image, code and HTML tokens). Most tokens of a page are of
# these kinds: they share one empty, read-only mapping for both, where two
# new dictionaries each were a third of the cost of making a token and a
# twelfth of parsing kubernetes/community. A write to it raises, and the
# page is reported as not parsed, rather than reaching every such token.
_NOTHING_FILLED = frozenset(
    {
        "paragraph_open",
        "paragraph_close",
        "list_item_open",
        "list_item_close",
        "bullet_list_open",
        "bullet_list_close",
        "ordered_list_close",
        "heading_close",
        "text",
        "softbreak",
        "hardbreak",
        "link_close",
        "strong_open",
        "strong_close",
        "em_open",
        "em_close",
        "s_open",
        "s_close",
        "tr_open",
        "tr_close",
        "td_close",
        "th_close",
    }
)
_NOTHING: Any = MappingProxyType({})


def _new_token(
    ttype: str,
    tag: str,
    nesting: int,
    _new: Callable[..., Token] = object.__new__,
    _shared: frozenset[str] = _NOTHING_FILLED,
    _nothing: Any = _NOTHING,
) -> Token:
    """``Token(ttype, tag, nesting)``, made field by field: the dataclass
    constructor also calls two default factories and ``__post_init__``
    (which converts ``attrs``, empty here), twice the time. A token of a
    kind in ``_NOTHING_FILLED`` gets the shared empty mapping instead of two
    dictionaries (it equals ``{}``)."""
    token = _new(Token)
    token.type = ttype
    token.tag = tag
    token.nesting = nesting  # type: ignore[assignment]
    if ttype in _shared:
        token.attrs = token.meta = _nothing
    else:
        token.attrs = {}
        token.meta = {}
    token.map = None
    token.level = 0
    token.children = None
    token.content = ""
    token.markup = ""
    token.info = ""
    token.block = False
    token.hidden = False
    return token


def _new_token_works() -> bool:
    """Whether ``_new_token`` makes what the constructor makes (a
    markdown-it-py with other token fields gets its own constructor)."""
    try:
        return _new_token("paragraph_open", "p", 1) == Token("paragraph_open", "p", 1)
    except AttributeError:
        return False


def _cheaper_tokens(md: MarkdownIt) -> None:
    """Parsing makes a token per block, inline construct and run of text,
    millions on a large site (a tenth of parsing on pages of long lists).
    This parser's block and inline states push tokens made by ``_new_token``:
    they run copies of markdown-it-py's ``push`` and ``pushPending`` whose
    ``Token`` is that function, and the parser's ``parse`` methods are copies
    that make those states. markdown-it-py's own classes are untouched."""
    if not _new_token_works():
        return
    from markdown_it.parser_block import ParserBlock
    from markdown_it.parser_inline import ParserInline
    from markdown_it.rules_block.state_block import StateBlock
    from markdown_it.rules_inline.state_inline import StateInline

    block_state = _with_globals_class(StateBlock, ("push",), {"Token": _new_token})
    inline_state = _with_globals_class(StateInline, ("push", "pushPending"), {"Token": _new_token})
    if block_state is None or inline_state is None:
        return
    _mark_lines_with_string_methods(block_state, md)
    _cut_lines_with_string_methods(block_state)
    block_parse = _with_globals(ParserBlock.parse, {"StateBlock": block_state})
    inline_parse = _with_globals(ParserInline.parse, {"StateInline": inline_state})
    if block_parse is None or inline_parse is None:
        return
    md.block.parse = MethodType(block_parse, md.block)  # type: ignore[method-assign]
    md.inline.parse = MethodType(inline_parse, md.inline)  # type: ignore[method-assign]


def _line_marks(src: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Where each line of ``src`` starts and ends, its indentation in
    characters and in columns (a tab to the next multiple of four): what
    markdown-it-py's ``StateBlock`` works out with a Python step per
    character of indentation, here with string methods. As there, a last
    line of only spaces and tabs with no line break after it is no line."""
    begins: list[int] = []
    ends: list[int] = []
    shifts: list[int] = []
    columns: list[int] = []
    start = 0
    length = len(src)
    for line in src.split("\n"):
        if start >= length:
            break  # after the last line break
        size = len(line)
        indent = size - len(line.lstrip(" \t"))
        end = start + size
        if indent == size and end == length:
            break
        column = indent
        if indent and "\t" in line[:indent]:
            column = 0
            for char in line[:indent]:
                column += 4 - column % 4 if char == "\t" else 1
        begins.append(start)
        ends.append(end)
        shifts.append(indent)
        columns.append(column)
        start = end + 1
    return begins, ends, shifts, columns


# Texts whose states the fast marking must make as markdown-it-py does before
# it is used: every kind of indentation, blank and last lines.
_MARKED_SAMPLES = ("", "a", "a\n", "\n\n", " \t x\n\t\ty\n  ", "  \n\tz", "- a\n   \t- b\n\n    c\n \t")


def _mark_lines_with_string_methods(state_class: type, md: MarkdownIt) -> None:
    """Give this parser's block state (``state_class``, a subclass of
    ``StateBlock``) an ``__init__`` that marks the lines with ``_line_marks``:
    the rest is markdown-it-py's own, run on an empty text. Left as it is
    unless the two make equal states of ``_MARKED_SAMPLES``."""
    base_init = state_class.__mro__[1].__init__

    def __init__(self: Any, src: str, md: MarkdownIt, env: Any, tokens: list) -> None:
        base_init(self, "", md, env, tokens)
        self.src = src
        begins, ends, shifts, columns = _line_marks(src)
        length = len(src)
        # markdown-it-py's entry past the last line, which spares bounds checks.
        begins.append(length)
        ends.append(length)
        shifts.append(0)
        columns.append(0)
        self.bMarks, self.eMarks, self.tShift, self.sCount = begins, ends, shifts, columns
        self.bsCount = [0] * len(begins)
        self.lineMax = len(begins) - 1

    fast = type(state_class.__name__, (state_class,), {"__init__": __init__})
    for text in _MARKED_SAMPLES:
        if vars(fast(text, md, {}, [])) != vars(state_class(text, md, {}, [])):
            return
    state_class.__init__ = __init__  # type: ignore[misc]


def _cut_lines_with_string_methods(state_class: type) -> None:
    """Give this parser's block state a ``getLines`` (a block's lines, each
    without its first ``indent`` columns) that finds where each line's text
    starts with string methods. markdown-it-py's steps through each line's
    indentation one character at a time in Python, for every paragraph of
    every list item (each line's marker and the spaces after it). Where
    that indentation holds a tab, whose width depends on its column, the
    lines are cut by markdown-it-py's own method."""
    base_get_lines = state_class.__mro__[1].getLines

    def getLines(self: Any, begin: int, end: int, indent: int, keepLastLF: bool) -> str:
        if begin >= end:
            return ""
        src, b_marks, e_marks, t_shift = self.src, self.bMarks, self.eMarks, self.tShift
        pieces = []
        for line in range(begin, end):
            start = first = b_marks[line]
            last = e_marks[line] + 1 if line + 1 < end or keepLastLF else e_marks[line]
            if indent > 0:
                # Skipped, a column each: what comes before the line's first
                # character (``tShift``: its indentation, or a list item's
                # marker), then spaces, up to ``indent`` columns (a tab among
                # them: markdown-it-py's way).
                limit = min(last, start + indent)
                shift = t_shift[line]
                if shift < 0:
                    return base_get_lines(self, begin, end, indent, keepLastLF)
                if start + shift >= limit:
                    first = limit
                else:
                    rest = src[start + shift : limit]
                    first = start + shift + len(rest) - len(rest.lstrip(" \t"))
                if "\t" in src[start:first]:
                    return base_get_lines(self, begin, end, indent, keepLastLF)
            pieces.append(src[first:last])
        return "".join(pieces)

    state_class.getLines = getLines  # type: ignore[attr-defined]


def _with_globals(fn: Any, names: dict[str, Any]) -> FunctionType | None:
    """A copy of ``fn`` (same code, defaults and closure) that finds
    ``names`` (each a global it uses) as given; None when it is not a Python
    function that uses them all."""
    if not isinstance(fn, FunctionType) or not set(names) <= set(fn.__code__.co_names):
        return None
    if any(name not in fn.__globals__ for name in names):
        return None
    copy = FunctionType(fn.__code__, {**fn.__globals__, **names}, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    return copy


def _with_globals_class(base: type, methods: tuple[str, ...], names: dict[str, Any]) -> type | None:
    """A subclass of ``base`` whose ``methods`` are copies finding ``names`` as given."""
    copies = {name: _with_globals(base.__dict__.get(name), names) for name in methods}
    if any(copy is None for copy in copies.values()):
        return None
    return type(base.__name__, (base,), copies)


# An inline link of the commonest kind: a text of plain words (no character
# where a rule but ``text`` can start, so the first `]` closes it) and a
# destination of URL characters right inside the parentheses, no title.
_PLAIN_LINK = re.compile(r"\[([^\[\]\\`<*_~&\n]+)\]\(([^\x00-\x20\x7f\\()<]+)\)")


def _plain_inline_links(md: MarkdownIt) -> None:
    """markdown-it-py's link rule finds a link's text, parses its
    destination, looks for a title, then runs the inline tokenizer over the
    text as content of its own. A link of ``_PLAIN_LINK``'s kind (most links
    of a site: ``[Project Board](https://...)``) gets the tokens the rule
    makes without those steps: ``link_open`` with the destination as the rule
    normalises and validates it, the text's one text token, ``link_close``.
    Anything else, and a destination that does not validate, goes to the
    rule."""
    ruler = md.inline.ruler
    rule = _rule_function(ruler, "link")
    match = _PLAIN_LINK.match

    def link(state: Any, silent: bool) -> bool:
        found = None if silent else match(state.src, state.pos, state.posMax)
        if found is None:
            return rule(state, silent)
        src = state.src
        text_start, text_end = found.span(1)
        destination = state.md.helpers.parseLinkDestination(src, found.start(2), state.posMax)
        if not destination.ok or destination.pos != found.end(2):
            return rule(state, silent)
        href = state.md.normalizeLink(destination.str)
        if not state.md.validateLink(href):
            return rule(state, silent)
        end = state.posMax
        state.pos, state.posMax = text_start, text_end
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        state.pending += src[text_start:text_end]  # the text token: ``push`` makes it first
        state.push("link_close", "a", -1)
        state.pos, state.posMax = found.end(), end
        return True

    _replace_rule(ruler, "link", link)


def _wrap_inline_rule(md: MarkdownIt, name: str, starts: str) -> None:
    ruler = md.inline.ruler
    original = _rule_function(ruler, name)
    delimiter = name in _DELIMITER_RULES
    linkish = name in ("link", "image")

    def recorded(state: Any, silent: bool) -> bool:
        if state.src[state.pos] not in starts:
            return False
        start = state.pos
        first = len(state.tokens)
        # A token for pending plain text is pushed ahead of the rule's own.
        if state.pending:
            first += 1
        if not original(state, silent):
            return False
        if silent or state.src is not state.env.get(_SRC):
            return True
        if delimiter:
            # Whether a `*` or `~~` run is a delimiter or literal text is decided
            # after the whole block is parsed (see _settle_delimiters).
            parts = [(token, len(token.content)) for token in state.tokens[first:]]
            if sum(size for _, size in parts) == state.pos - start:
                state.env[_DELIMITERS].append((start, parts))
            else:
                state.env[_RANGES].append((start, state.pos))
            return True
        state.env[_RANGES].append((start, state.pos))
        for token in state.tokens[first:]:
            if token.type in _POSITIONED:
                token.meta["range"] = (start, state.pos)
                if linkish:
                    # Where the label ends tells inline from reference links.
                    opener = start + 1 if name == "image" else start
                    token.meta["label_end"] = state.md.helpers.parseLinkLabel(state, opener, name == "link")
                break
        return True

    _replace_rule(ruler, name, recorded)


def _settle_delimiters(state: Any) -> None:
    """Emphasis and strikethrough runs that became tags are markup; the rest
    (``5 * 3``, ``snake_case``) stays text and so stays prose. Runs before
    ``fragments_join`` merges the text tokens."""
    pending = state.env.get(_DELIMITERS)
    if not pending or state.src is not state.env.get(_SRC):
        return
    ranges = state.env[_RANGES]
    for start, parts in pending:
        pos = start
        for token, size in parts:
            # A used delimiter changed type, or (the inner `*` of `**`) lost its text.
            if token.type != "text" or not token.content:
                ranges.append((pos, pos + size))
            pos += size
    pending.clear()


def _wrap_table_rule(md: MarkdownIt) -> None:
    """Record where each table cell starts in the source: a cell's content is
    the trimmed text between unescaped pipes, with ``\\|`` turned into ``|``."""
    ruler = md.block.ruler
    original = _rule_function(ruler, "table")

    def table(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        # A table needs a delimiter row under its first line, which starts
        # with `|`, `-` or `:` (the rule's own first test, made here without
        # its call and logging: the rule is tried on nearly every line).
        below = start_line + 1
        if below >= end_line:
            return False
        pos = state.bMarks[below] + state.tShift[below]
        if pos >= state.eMarks[below] or state.src[pos] not in "|-:":
            return False
        first = len(state.tokens)
        if not original(state, start_line, end_line, silent):
            return False
        if silent:
            return True
        rows: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        column = 0
        for token in state.tokens[first:]:
            if token.type == "tr_open":
                column = 0
            elif token.type == "inline" and token.map:
                line = token.map[0]
                cells = rows.get(line)
                if cells is None:
                    cells = rows[line] = _row_cells(state, line)
                if column < len(cells):
                    token.meta["cell"] = cells[column]
                column += 1
        return True

    _replace_rule(ruler, "table", table)


def _row_cells(state: Any, line: int) -> list[tuple[int, tuple[int, ...]]]:
    """For each cell of a table row: the source offset where its trimmed content
    starts, and the content indexes of pipes that were escaped (``\\|``)."""
    start = state.bMarks[line] + state.tShift[line]
    text = state.src[start : state.eMarks[line]]
    row = text.strip(MD_TRIM_CHARS)
    base = start + len(text) - len(text.lstrip(MD_TRIM_CHARS))
    bounds: list[tuple[int, int]] = []
    last = 0
    for pipe in re.finditer(r"\|", row):
        i = pipe.start()
        if i == 0 or row[i - 1] != "\\":
            bounds.append((last, i))
            last = i + 1
    bounds.append((last, len(row)))
    if bounds and bounds[0][0] == bounds[0][1]:
        bounds.pop(0)
    if bounds and bounds[-1][0] == bounds[-1][1]:
        bounds.pop()
    cells = []
    for a, b in bounds:
        raw = row[a:b]
        lead = len(raw) - len(raw.lstrip(MD_TRIM_CHARS))
        cell = raw.strip(MD_TRIM_CHARS)
        pipes = []
        found = cell.find("\\|")
        while found >= 0:
            pipes.append(found - len(pipes))
            found = cell.find("\\|", found + 2)
        cells.append((base + a + lead, tuple(pipes)))
    return cells


def _inline_with_ranges(state: Any) -> None:
    """The core ``inline`` rule, recording each inline block's construct ranges.

    Content where no wrapped rule can start (most of a page: two inline
    blocks in three on kubernetes/community) is only text and line breaks;
    its tokens are made directly (``_plain_inline``), without the inline
    parser's loop over rules; in a lean parse (``mdlists.LEAN``) they are
    not made at all: the walk reads them only for a heading's text
    (``_heading_text``). The tokens whose content may hold an escape or
    an entity are handed to ``text_join`` (``_join_text_only_where_escaped``)."""
    env = state.env
    escaped: list[Token] = []
    env[_ESCAPED] = escaped
    lean = LEAN in env
    for token in state.tokens:
        if token.type == "inline":
            if _INLINE_MARKUP.search(token.content) is None:
                if not lean:
                    token.children = _plain_inline(token.content)
                    token.meta["ranges"] = []
                continue
            if "\\" in token.content or "&" in token.content:
                escaped.append(token)
            ranges: list[tuple[int, int]] = []
            env[_SRC] = token.content
            env[_RANGES] = ranges
            env[_DELIMITERS] = []
            token.children = []
            state.md.inline.parse(token.content, state.md, env, token.children)
            token.meta["ranges"] = ranges
    for key in (_SRC, _RANGES, _DELIMITERS):
        env.pop(key, None)


# Where an inline rule other than ``text`` and ``newline`` can start: at a
# character of ``_WRAPPED`` (`!` only before a `[`, itself one).
# Where a wrapped rule can start ("!" starts an image only before a "[").
_MARKUP_STARTS = "".join(sorted(set("".join(_WRAPPED.values())) - {"!"}))
_INLINE_MARKUP = re.compile("[" + re.escape(_MARKUP_STARTS) + "]")
_PARSE_LINK_LABEL = link_label_parser(_MARKUP_STARTS)


def _plain_inline(content: str) -> list[Token]:
    """The tokens markdown-it-py's inline parser makes of content without
    markup (``_INLINE_MARKUP``): the ``text`` rule's runs, and at each line
    break the ``newline`` rule's token: a ``hardbreak`` after two spaces or
    more, which it drops with the one space before a ``softbreak``, and the
    spaces and tabs that start the next line skipped."""
    out: list[Token] = []
    lines = content.split("\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        if number:
            line = line.lstrip(" \t")
        kind = "softbreak"
        if number < last and line.endswith(" "):
            if line.endswith("  "):
                kind = "hardbreak"
                line = line.rstrip(" ")
            else:
                line = line[:-1]
        if line:
            text = _PLAIN_TOKEN("text", "", 0)
            text.content = line
            out.append(text)
        if number < last:
            out.append(_PLAIN_TOKEN(kind, "br", 0))
    return out


# What makes those tokens (see ``_cheaper_tokens``).
_PLAIN_TOKEN: Callable[[str, str, int], Token] = _new_token if _new_token_works() else Token


@lru_cache(maxsize=2)
def parser(mdx: bool = False) -> MarkdownIt:
    """The MarkdownIt instance of this process for Markdown or for MDX
    (building one costs more than parsing a small page)."""
    return _make_parser(mdx)


# -- entry points -----------------------------------------------------------------


@dataclass
class Extracted:
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    html_anchors: list[HtmlAnchor] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    # Each prose item's span and 1 if it is in a heading (``ProseRuns``).
    prose: array = field(default_factory=lambda: array("q"))


def mask_templates(text: str) -> str:
    """Replace template tags that stand where a link destination is expected with
    same-length filler, so ``[t]({{< ref "a b.md" >}})`` stays one link."""
    if "{" not in text:
        return text
    pieces: list[str] = []
    tail = ""  # the end of the output so far, for the context test
    last = 0
    for match in _TEMPLATE_TAG.finditer(text):
        before = text[last : match.start()]
        tail = (tail + before)[-200:]
        tag = match.group(0)
        if _DESTINATION_CONTEXT.search(tail):
            tag = "x" * len(tag)
        pieces += (before, tag)
        tail = (tail + tag)[-200:]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def extract(text: str, body_start: int = 0, index: LineIndex | None = None, *, mdx: bool = False) -> Extracted:
    """Parse ``text`` (the whole file; everything before ``body_start``, the front
    matter, is blanked) and return what it contains, with offsets into ``text``
    (``index``: the text's ``LineIndex``, when the caller has it; ``mdx``:
    parse it as MDX, see ``_make_parser``)."""
    prepared = text
    if body_start:
        prepared = re.sub(r"[^\r\n]", " ", text[:body_start]) + text[body_start:]
    # CommonMark normalises \r\n and \r to \n; lines stay the same, so positions
    # are computed per line and mapped back onto the original text.
    normal = _LINE_END.sub("\n", prepared)
    # markdown-it turns NUL into U+FFFD; doing it first keeps the parsed copy and
    # the text it is mapped onto the same, character for character.
    masked = mask_jsx_lines(mask_templates(normal)).replace("\0", "\ufffd")
    masked, tag_lines = mask_markdown_elements(masked)
    return _Walker(text, normal, masked, index, body_start, mdx, tag_lines).run()


# A line of MDX components' tags only: `<Tabs>`, `  <TabItem value="npm">`,
# `</Fragment>`, `<Note />` (a capital letter starts a component's name, and
# an attribute's value may be a `{…}` expression).
_JSX_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"\n]*"|'[^'\n]*'|\{[^{}\n]*\}|[^\s"'=<>`{}]+))?)"""
_JSX_LINE = re.compile(r"^[ \t]*(?:(?:<[A-Z][\w.]*" + _JSX_ATTRIBUTE + r"*\s*/?>|</[A-Z][\w.]*\s*>)[ \t]*)+$", re.M)
_JSX_HINT = re.compile(r"</?[A-Z]")


def mask_jsx_lines(text: str) -> str:
    """Blank the lines that hold only MDX components' tags (same length).
    MDX (Docusaurus, Astro, Starlight) parses what such a component wraps as
    Markdown; CommonMark takes the tag's line for the start of an HTML block
    that runs to the next blank line, so a blank line inside a fenced code
    block the component wraps ended the block there, the code's `# comment`
    lines became headings and a fence left open swallowed the rest of the
    page (withastro/docs: every heading after a `<PackageManagerTabs>`)."""
    if not _JSX_HINT.search(text):
        return text
    return _JSX_LINE.sub(lambda match: " " * len(match.group(0)), text)


# An HTML element whose content is Markdown (kramdown, PHP Markdown Extra,
# Python-Markdown's md_in_html): its start tag alone on a line, with
# `markdown="1"` (or "block").
_MARKDOWN_ELEMENT = re.compile(
    r"""^[ \t]*<([A-Za-z][\w-]*)(?=[^>\n]*?\smarkdown\s*=\s*(["']?)(?:1|block)\2[\s/>])[^>\n]*>[ \t]*$""", re.M
)


def mask_markdown_elements(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank the lines that hold only the start tag of an element written
    with `markdown="1"`, or only its end tag (same length), and return where
    they were. CommonMark takes such a line for the start of an HTML block
    that runs to the next blank line: a heading or a list right after
    `<section markdown="1">` was raw HTML, not the Markdown those renderers
    make of it (cockroachdb's docs: every heading in a filter section). The
    tags' own ids and links are read from the lines given back."""
    if "markdown" not in text:
        return text, []
    spans: list[tuple[int, int]] = []
    for opener in _MARKDOWN_ELEMENT.finditer(text):
        spans.append((opener.start(), opener.end()))
        closer = _end_tag_line(text, opener.group(1), opener.end())
        if closer is not None:
            spans.append(closer)
    if not spans:
        return text, []
    spans = sorted(set(spans))
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces += (text[last:start], " " * (end - start))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), spans


def _end_tag_line(text: str, name: str, pos: int) -> tuple[int, int] | None:
    """Where the line holding only the end tag of the ``name`` element
    opened before ``pos`` is (elements of the same name nest), or None."""
    depth = 1
    for tag in re.compile(r"<(/?)" + re.escape(name) + r"(?![\w-])[^>]*?(/?)>", re.I).finditer(text, pos):
        if tag.group(1):
            depth -= 1
        elif not tag.group(2):
            depth += 1
        if depth == 0:
            start, end = tag.start(), tag.end()
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            if text[line_start:start].strip(" \t") or text[end:line_end].strip(" \t"):
                return None
            return line_start, line_end
    return None


# -- the walk over the tokens -------------------------------------------------------


class _Walker:
    # Parse without the tokens nothing here reads (``mdlists.LEAN``): the
    # lists' and items' own, and the runs of text of content without markup.
    LEAN_PARSE = True

    def __init__(
        self,
        original: str,
        normal: str,
        masked: str,
        index: LineIndex | None = None,
        body_start: int = 0,
        mdx: bool = False,
        tag_lines: list[tuple[int, int]] | None = None,
    ) -> None:
        self.original = original
        self.body_start = body_start
        self.orig_index = index if index is not None and index.text is original else LineIndex(original)
        # Without \r the normalised text has the same offsets as the original,
        # and so the same lines (blanking the front matter keeps its line breaks).
        self.same_offsets = "\r" not in original
        self.normal = normal
        self.masked = masked
        self.norm_index = LineIndex.of_same_lines(normal, self.orig_index) if self.same_offsets else LineIndex(normal)
        self.out = Extracted()
        self.definitions: dict[str, tuple[Span | None, str, str]] = {}
        self.definition_spans: dict[str, Span] = {}
        self.used_labels: set[str] = set()
        self.md = parser(mdx)
        self.mdx = mdx
        self.tag_lines = tag_lines

    # -- positions ------------------------------------------------------------------

    def to_original(self, norm_offset: int) -> int:
        if self.same_offsets:
            return norm_offset
        line, column = self.norm_index.position(norm_offset)
        return self.orig_index.offset(line, column)

    def span(self, norm_start: int, norm_end: int) -> Span:
        return self.orig_index.span(self.to_original(norm_start), self.to_original(norm_end))

    def verified(self, norm_start: int, norm_end: int) -> Span | None:
        """A span whose text in the original equals the parsed text."""
        span = self.span(norm_start, norm_end)
        if self.same_offsets and norm_start >= self.body_start:
            # Past the front matter (blanked in the normalised text), a text
            # without \r is its own normalised text.
            return span
        found = self.original[span.start : span.end]
        if not self.same_offsets:
            found = _LINE_END.sub("\n", found)
        return span if found == self.normal[norm_start:norm_end] else None

    def line_span(self, line: int) -> Span:
        """The whole source line ``line`` (1-based): where a construct is reported
        when its exact place cannot be found."""
        line = min(max(line, 1), self.orig_index.line_count)
        start = self.orig_index.line_start(line)
        return self.orig_index.span(start, start + len(self.orig_index.line_text(line)))

    # -- walk ---------------------------------------------------------------------

    def run(self) -> Extracted:
        env: dict[str, Any] = {LEAN: True} if self.LEAN_PARSE else {}
        tokens = self.md.parse(self.masked, env)
        # The reference rule keeps each definition in ``env`` as it makes its
        # token: a page without one needs no walk for them.
        if "references" in env:
            for token in tokens:
                if token.type == "definition":
                    self._definition(token)
        heading_level = 0
        atx = False
        for token in tokens:
            if token.type == "heading_open":
                heading_level = int(token.tag[1])
                atx = token.markup.startswith("#")
            elif token.type == "heading_close":
                heading_level = 0
            elif token.type == "inline" and token.map is not None:
                if not heading_level and _plain_line(token):
                    self._plain_line_prose(token)
                    continue
                block = _Block(token, self._content_starts(token, atx and bool(heading_level)))
                if heading_level:
                    self._heading(block, heading_level)
                self._inline(block, in_heading=bool(heading_level))
            elif token.type == "html_block" and token.map is not None:
                self._html_block(token)
        if self.tag_lines:
            self._element_tags(tokens)
        for label, (span, destination, raw_label) in self.definitions.items():
            if label not in self.used_labels and label in self.definition_spans:
                self.out.links.append(
                    Link(LinkKind.DEFINITION, destination, raw_label, self.definition_spans[label], span, label=raw_label)
                )
        self.out.links.sort(key=lambda link: link.span.start)
        return self.out

    def _content_starts(self, token: Token, atx: bool) -> list[int | None]:
        """For each line of an inline token's content, the offset in the
        normalised text where it starts (None when it cannot be found)."""
        cell = token.meta.get("cell")
        if cell is not None:
            return [cell[0]]
        first_line = token.map[0] + 1
        starts: list[int | None] = []
        for k, piece in enumerate(token.content.split("\n")):
            line_no = first_line + k
            if line_no > self.norm_index.line_count:
                starts.append(None)
                continue
            line_start = self.norm_index.line_start(line_no)
            masked_line = self.masked[line_start : line_start + len(self.norm_index.line_text(line_no))]
            offset = len(masked_line.rstrip()) - len(piece.rstrip())
            if 0 <= offset and masked_line.startswith(piece, offset):
                starts.append(line_start + offset)
                continue
            # Indentation with tabs comes out partly as spaces: the text after it
            # is still the end of the line. (The leading whitespace itself maps
            # nowhere, and nothing that is reported starts in it.)
            core = piece.lstrip(" \t")
            offset = len(masked_line.rstrip()) - len(core.rstrip())
            if core and offset >= 0 and masked_line.startswith(core, offset):
                starts.append(line_start + offset - (len(piece) - len(core)))
                continue
            # An ATX heading's content stops before its closing `#` run; it
            # starts after the opening one.
            hint = _after_hashes(masked_line) if atx and k == 0 else 0
            offset = masked_line.find(piece, hint)
            starts.append(None if offset < 0 else line_start + offset)
        return starts

    def _plain_line_prose(self, token: Token) -> None:
        """The prose of a ``_plain_line`` token: what ``_inline`` finds in it
        (no links, no HTML, one prose piece, its whole stripped content),
        without its steps for content of many lines, constructs and cells
        (most inline tokens of a page of lists are such a line)."""
        content = token.content
        stripped = content.strip()
        if not stripped:
            return
        starts = self.norm_index.starts
        line = token.map[0] + 1
        if line > len(starts):
            return
        line_start = starts[line - 1]
        line_end = starts[line] - 1 if line < len(starts) else len(self.normal)
        masked = self.masked
        # ``_content_starts``'s first way to place a line, the one nearly
        # every line takes; it tries the others.
        offset = len(masked[line_start:line_end].rstrip()) - len(content.rstrip())
        if 0 <= offset and masked.startswith(content, line_start + offset):
            base: int | None = line_start + offset
        else:
            base = self._content_starts(token, False)[0]
            if base is None:
                return
        start = base + len(content) - len(content.lstrip())
        end = start + len(stripped)
        if start < 0 or masked[start:end] != stripped:
            return
        if self.same_offsets and start >= self.body_start and line_start <= start:
            # The span ``verified`` gives: the text's own lines, this one.
            self.out.prose.extend((start, end, line, start - line_start + 1, line, end - line_start + 1))
        else:
            span = self.verified(start, end)
            if span is None:
                return
            self.out.prose.extend(span)
        self.out.prose.append(0)

    def _content_offset(self, block: _Block, pos: int, line: int | None = None) -> int | None:
        """Normalised-text offset of position ``pos`` of the block's content
        (``line``: its line of the content, 0-based, when the caller knows it)."""
        if line is None:
            line = bisect.bisect_left(block.breaks, pos)
        line_begin = block.breaks[line - 1] + 1 if line else 0
        base = block.starts[line] if line < len(block.starts) else None
        if base is None:
            return None
        offset = base + (pos - line_begin)
        if block.pipes:
            offset += bisect.bisect_left(block.pipes, pos)
        return offset if offset >= 0 else None

    def _content_span(self, block: _Block, a: int, b: int, line: int | None = None) -> tuple[int, int] | None:
        """The normalised-text range of content ``[a, b)``, checked line by line
        against the parsed text (``line``: the one line of the content it
        lies on, 0-based, when the caller knows it)."""
        start = self._content_offset(block, a, line)
        end = self._content_offset(block, b, line) if b > a else start
        if start is None or end is None:
            return None
        content = block.token.content
        if not block.breaks or b <= a or line is not None:
            found = self.masked[start:end]
            if block.pipes:
                found = found.replace("\\|", "|")
            return (start, end) if found == content[a:b] else None
        # Lines after the first start past their container prefix: compare each,
        # from its first non-blank character (leading tabs may have become spaces).
        pos = a
        while pos < b:
            line_end = content.find("\n", pos, b)
            if line_end < 0:
                line_end = b
            if pos > a:
                while pos < line_end and content[pos] in " \t":
                    pos += 1
            here = self._content_offset(block, pos)
            if here is None or self.masked[here : here + line_end - pos] != content[pos:line_end]:
                return None
            pos = line_end + 1
        return start, end

    def _fallback_span(self, block: _Block, pos: int) -> Span:
        """The source line of content position ``pos``."""
        return self.line_span(block.token.map[0] + 1 + bisect.bisect_left(block.breaks, pos))

    # -- inline content -----------------------------------------------------------

    def _inline(self, block: _Block, in_heading: bool) -> None:
        children = block.token.children or []
        no_prose: list[tuple[int, int]] = []
        for i, child in enumerate(children):
            if child.type == "link_open":
                close = _matching_close(children, i)
                self._link(block, child, _plain_text(children[i + 1 : close]), image=False)
            elif child.type == "image":
                self._link(block, child, _plain_text(child.children or []), image=True)
            elif child.type == "html_inline":
                close = _closing_tag(children, i)
                text = _plain_text(children[i + 1 : close]).strip() if close is not None else ""
                self._html_inline(block, child, text)
                if close is not None and "range" in child.meta and "range" in children[close].meta:
                    no_prose.append((child.meta["range"][0], children[close].meta["range"][1]))
        if "{/*" in block.token.content:
            self._jsx_comments(block, no_prose)
        self._prose(block, in_heading, no_prose)

    def _jsx_comments(self, block: _Block, no_prose: list[tuple[int, int]]) -> None:
        """Directives in MDX comments (``{/* linklint-disable-line */}``),
        which are no prose. Read in every page: Docusaurus parses `.md` pages
        as MDX too, and in plain Markdown nobody writes one for its text.
        Not in code spans."""
        code = [rng for rng in block.token.meta.get("ranges", ()) if block.token.content[rng[0]] == "`"]
        for match in _JSX_COMMENT.finditer(block.token.content):
            if any(a <= match.start() < b for a, b in code):
                continue
            no_prose.append(match.span())
            offset = self._content_offset(block, match.start())
            if offset is not None:
                self._directive(match.group(1), offset)

    def _link(self, block: _Block, child: Token, text: str, image: bool) -> None:
        rng = child.meta.get("range")
        if rng is None:
            return
        a, b = rng
        content = block.token.content
        whole = self._content_span(block, a, b)
        # A link whose place cannot be found is still reported, on its line, and
        # never edited.
        span = (self.verified(*whole) or self.span(*whole)) if whole else self._fallback_span(block, a)
        if child.markup == "autolink" or child.info == "auto":
            self._autolink(block, a, b, span, exact=whole is not None)
            return
        href = child.attrs.get("src" if image else "href", "")
        title = child.attrs.get("title") or None
        label_start = a + (2 if image else 1)
        label_end = child.meta.get("label_end", -1)
        if label_end < 0:
            return
        after = label_end + 1
        if after < b and content[after] == "(":
            dest = self._inline_destination(block, after + 1, b)
            if dest is not None:
                dest_span, destination = dest
                if whole is None:
                    dest_span = None
                self.out.links.append(Link(LinkKind.INLINE, destination, text, span, dest_span, image, title))
                return
        kind, label = _reference_kind(content, label_start, label_end, b)
        if label.startswith("^"):
            return  # a footnote reference (GFM, Goldmark, kramdown), not a link
        key = normalizeReference(label)
        self.used_labels.add(key)
        dest_span, destination, _ = self.definitions.get(key, (None, str(href), ""))
        self.out.links.append(Link(kind, destination, text, span, dest_span, image, title, label))

    def _inline_destination(self, block: _Block, pos: int, end: int) -> tuple[Span | None, str] | None:
        content = block.token.content
        while pos < end and content[pos] in " \t\n":
            pos += 1
        result = self.md.helpers.parseLinkDestination(content, pos, end)
        if not result.ok:
            if pos < end and content[pos] == ")":
                # `[text]()`: an inline link with an empty destination.
                where = self._content_span(block, pos, pos)
                return (self.verified(*where) if where else None), ""
            return None
        dest_start, dest_end = pos, result.pos
        if dest_start < dest_end and content[dest_start] == "<":
            dest_start, dest_end = dest_start + 1, dest_end - 1
        where = self._content_span(block, dest_start, dest_end)
        dest_span = self.verified(*where) if where else None
        raw = self.original[dest_span.start : dest_span.end] if dest_span else content[dest_start:dest_end]
        return dest_span, unescapeAll(raw)

    def _autolink(self, block: _Block, a: int, b: int, span: Span, exact: bool) -> None:
        inner = self._content_span(block, a + 1, b - 1) if exact else None
        dest_span = self.verified(*inner) if inner else None
        raw = self.original[dest_span.start : dest_span.end] if dest_span else block.token.content[a + 1 : b - 1]
        destination = raw if ":" in raw else "mailto:" + raw
        self.out.links.append(Link(LinkKind.AUTOLINK, destination, raw, span, dest_span))

    def _html_inline(self, block: _Block, child: Token, text: str) -> None:
        rng = child.meta.get("range")
        if rng is None:
            return
        where = self._content_span(block, *rng)
        if where is None:
            return
        if "\n" in child.content:
            # Lines after the first lost their indentation in the inline
            # content: each offset is mapped on its own line.
            start = rng[0]
            self._html(child.content, where[0], text, lambda offset: self._content_offset(block, start + offset))
        else:
            self._html(child.content, where[0], text)

    # -- headings -------------------------------------------------------------------

    def _heading(self, block: _Block, level: int) -> None:
        token = block.token
        text = _heading_text(token)
        explicit = None
        match = _EXPLICIT_ID.search(text)
        if match:
            explicit = match.group(1)
            text = text[: match.start()].rstrip()
        first = block.starts[0] if block.starts else None
        end = self._content_offset(block, len(token.content)) if first is not None else None
        span = self.span(first, end) if first is not None and end is not None else self.line_span(token.map[0] + 1)
        self.out.headings.append(Heading(level, text, span, explicit))

    # -- raw HTML -------------------------------------------------------------------

    def _element_tags(self, tokens: list[Token]) -> None:
        """Ids and links of the `markdown="1"` tags blanked before parsing
        (see ``mask_markdown_elements``), but those in code."""
        code = [token.map for token in tokens if token.type in ("fence", "code_block") and token.map]
        for start, end in self.tag_lines:
            line = self.norm_index.position(start)[0] - 1  # 0-based, as token maps are
            if not any(a <= line < b for a, b in code):
                self._html(self.normal[start:end], start)

    def _html_block(self, token: Token) -> None:
        # Comments may span lines: work on the block's source range as a whole
        # (the HTML itself is kept verbatim by CommonMark, container prefixes aside).
        start_line = token.map[0] + 1
        end_line = min(token.map[1], self.norm_index.line_count)
        start = self.norm_index.line_start(start_line)
        end = self.norm_index.line_start(end_line) + len(self.norm_index.line_text(end_line))
        self._html(self.masked[start:end], start)

    def _html(
        self, fragment: str, base: int, inline_text: str | None = None, to_normal: Callable[[int], int | None] | None = None
    ) -> None:
        """Directives, anchors and links in a piece of raw HTML that starts at
        normalised offset ``base`` (``to_normal`` maps an offset in the piece to
        the normalised text where the piece is not a contiguous copy of it)."""
        at = to_normal or (lambda offset: base + offset)
        visible = fragment
        if "<!--" in fragment:
            for comment in _COMMENT.finditer(fragment):
                self._directive(comment.group(1), base + comment.start())
            # Blank the comments (same length) so nothing in them counts.
            visible = _COMMENT.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group(0)), fragment)
        for tag in _TAG.finditer(visible):
            name = tag.group(1).lower()
            for attr in _ATTR.finditer(tag.group(2) or ""):
                key = attr.group(1).lower()
                value_group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
                if value_group is None:
                    continue
                value = attr.group(value_group)
                mapped = at(tag.start(2) + attr.start(value_group))
                v_start = mapped if mapped is not None else base
                v_end = v_start + len(value)
                exact = mapped is not None and "\n" not in value
                if key == "id" or (key == "name" and name == "a"):
                    if exact and "x" in value:
                        # A template tag in the id (`id="step-{{ page.version }}"`),
                        # masked with `x`s for parsing, is kept as written.
                        written = self.normal[v_start:v_end]
                        value = written if "{{" in written or "{%" in written else value
                    self.out.html_anchors.append(HtmlAnchor(html.unescape(value), self.span(v_start, v_end)))
                if name in _LINK_ATTRS.get(key, ()):
                    dest_span = self.verified(v_start, v_end) if exact else None
                    raw = self.original[dest_span.start : dest_span.end] if dest_span else value
                    text = inline_text if inline_text is not None else _block_link_text(visible, tag.end())
                    tag_start, tag_end = at(tag.start()), at(tag.end() - 1)
                    tag_span = self.span(tag_start if tag_start is not None else base, (tag_end if tag_end is not None else v_end - 1) + 1)
                    self.out.links.append(
                        Link(LinkKind.HTML, html.unescape(raw), text, tag_span, dest_span, image=(key == "src"))
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
        if key in self.definitions or token.map is None or label.startswith("^"):
            return  # the first definition of a label wins; `[^x]:` is a footnote
        start = self.norm_index.line_start(token.map[0] + 1)
        end_line = min(token.map[1], self.norm_index.line_count)
        end = self.norm_index.line_start(end_line) + len(self.norm_index.line_text(end_line))
        url = token.meta.get("url", "")
        if "\n" in label:
            found = _label_pattern(label).search(self.masked, start, end)
            label_start, label_end = found.span() if found else (-1, -1)
        else:
            # ``_label_pattern`` of a label on one line is the label itself.
            label_start = self.masked.find(f"[{label}]:", start, end)
            label_end = label_start + len(label) + 3
        if label_start < 0:
            self.definitions[key] = (None, url, label)
            return
        pos = _skip_space(self.masked, label_end, end)
        result = self.md.helpers.parseLinkDestination(self.masked, pos, end)
        if not result.ok or self.md.normalizeLink(result.str) != url:
            self.definitions[key] = (None, url, label)
            return
        d_start, d_end = pos, result.pos
        if d_start < d_end and self.masked[d_start] == "<":
            d_start, d_end = d_start + 1, d_end - 1
        dest_span = self.verified(d_start, d_end)
        raw = self.original[dest_span.start : dest_span.end] if dest_span else self.normal[d_start:d_end]
        self.definition_spans[key] = self.span(label_start, result.pos)
        self.definitions[key] = (dest_span, unescapeAll(raw), label)

    # -- prose -----------------------------------------------------------------------

    def _prose(self, block: _Block, in_heading: bool, no_prose: list[tuple[int, int]]) -> None:
        content = block.token.content
        if "{" in content:
            # A link inserted into a template tag's arguments, or into an MDX
            # expression (`{frontmatter.title}`: JavaScript), would break the page.
            no_prose.extend(match.span() for match in (_JSX_EXPRESSION if self.mdx else _TEMPLATE_SPAN).finditer(content))
        ranges = sorted([*block.token.meta.get("ranges", ()), *no_prose])
        pos = 0
        gaps: list[tuple[int, int]] = []
        for a, b in ranges:
            if a > pos:
                gaps.append((pos, a))
            pos = max(pos, b)
        if pos < len(content):
            gaps.append((pos, len(content)))
        breaks = block.breaks
        for a, b in gaps:
            line_start = a
            line = bisect.bisect_left(breaks, a)  # of the content, 0-based
            while line_start < b:
                line_end = content.find("\n", line_start, b)
                if line_end < 0:
                    line_end = b
                self._prose_piece(block, line_start, line_end, in_heading, line)
                line_start = line_end + 1
                line += 1

    def _prose_piece(self, block: _Block, a: int, b: int, in_heading: bool, line: int) -> None:
        """The prose of content ``[a, b)``, all of it on the content's line ``line``."""
        content = block.token.content
        piece = content[a:b]
        stripped = piece.strip()
        if not stripped:
            return
        a += len(piece) - len(piece.lstrip())
        b = a + len(stripped)
        if in_heading:
            match = _EXPLICIT_ID.search(stripped)
            if match:
                b = a + match.start()
                if b <= a:
                    return
        where = self._content_span(block, a, b, line)
        if where is None:
            return
        span = self.verified(*where)
        if span is None:
            return
        self.out.prose.extend(span)
        self.out.prose.append(1 if in_heading else 0)


def _heading_text(token: Token) -> str:
    """A heading's text: its inline token's, the tokens of content without
    markup made here when a lean parse left them out."""
    children = token.children
    if not children and _INLINE_MARKUP.search(token.content) is None:
        children = _plain_inline(token.content)
    return _plain_text(children or []).strip()


def _plain_line(token: Token) -> bool:
    """Whether an inline token (not a heading's) is one line of text and
    nothing else: no construct recorded in it (no link, image, HTML, code
    span, emphasis), not a table cell, no `{` (a template tag or an MDX
    expression, which are not prose)."""
    content = token.content
    return "\n" not in content and "{" not in content and not token.meta.get("ranges") and "cell" not in token.meta


class _Block:
    """An inline token with where each of its content lines starts in the
    normalised text."""

    __slots__ = ("token", "starts", "breaks", "pipes")

    def __init__(self, token: Token, starts: list[int | None]) -> None:
        self.token = token
        self.starts = starts
        content = token.content
        self.breaks = [m.start() for m in re.finditer("\n", content)] if "\n" in content else []
        cell = token.meta.get("cell")
        self.pipes: tuple[int, ...] = cell[1] if cell else ()


# -- helpers ------------------------------------------------------------------------


def _after_hashes(line: str) -> int:
    hashes = line.find("#")
    if hashes < 0:
        return 0
    while hashes < len(line) and line[hashes] == "#":
        hashes += 1
    return hashes


@lru_cache(maxsize=256)
def _label_pattern(label: str) -> re.Pattern[str]:
    """``[label]:`` as written in the source: a line break inside the label may
    be followed by the container's prefix (``>`` or indentation)."""
    parts = []
    for piece in re.split(r"(\s+)", label):
        if piece and piece.isspace() and "\n" in piece:
            parts.append(r"[ \t]*\n[ \t>]*")
        else:
            parts.append(re.escape(piece))
    return re.compile(r"\[" + "".join(parts) + r"\]:")


def _closing_tag(children: list[Token], i: int) -> int | None:
    """The index of the closing tag of an inline ``<a>``, ``<code>`` … whose text
    is not prose (``None`` for other tags or when it is not closed)."""
    opening = children[i].content
    match = _OPEN_TAG_NAME.match(opening)
    if not match or opening.endswith("/>"):
        return None
    name = match.group(1).lower()
    if name not in _NO_PROSE_ELEMENTS:
        return None
    depth = 0
    for j in range(i + 1, len(children)):
        token = children[j]
        if token.type != "html_inline":
            continue
        tag = token.content.lower()
        if re.match(rf"<{name}[\s/>]", tag):
            depth += 1
        elif re.match(rf"</{name}\s*>", tag):
            if depth == 0:
                return j
            depth -= 1
    return None


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


_TEXT_OF: dict[str, Callable[[Token], str]] = {
    "text": lambda t: t.content,
    "text_special": lambda t: t.content,
    "code_inline": lambda t: t.content,
    "softbreak": lambda t: " ",
    "hardbreak": lambda t: " ",
    "image": lambda t: _plain_text(t.children or []),
}


def _plain_text(tokens: list[Token]) -> str:
    """Text content with markup and raw HTML removed, code span contents and
    image alt text kept (what a heading slugger or a reader sees)."""
    parts = []
    for token in tokens:
        text_of = _TEXT_OF.get(token.type)
        if text_of is not None:
            parts.append(text_of(token))
    return "".join(parts)
