"""markdown-it-py's list rule, with the common list item parsed without the
block tokenizer.

Notes, changelogs and agendas are long lists of one-line items:
kubernetes/community's meeting notes hold 85,000 of them.
markdown-it-py parses each item by running the block tokenizer on it: a
nested call that tries the rules the item's first character allows, then
the paragraph rule, which asks every rule that could end a paragraph
whether the next line starts a block. Some eighty Python calls for one line
of text: an item took three times a paragraph's time, and the items of
kubernetes/community were most of its block parsing.

Here an item whose first line only a paragraph can start, and whose next
line ends that paragraph, gets its paragraph's tokens directly; what follows
in the item (a nested list, more paragraphs), and every other item, goes
through the tokenizer as before. The rule is otherwise markdown-it-py's own
(4.3), step for step. It makes the tokens markdown-it-py's makes, field by
field, on ``SAMPLES`` (every kind of item), on generated lists and on real
sites' pages (``tests/test_mdlists.py``).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block.list import markTightParagraphs, skipBulletListMarker, skipOrderedListMarker

BlockRule = Callable[[Any, int, int, bool], bool]

# With this key set in the parse's ``env``, the lists' and items' own tokens
# are left out (``bullet_list_open``, ``list_item_close`` and the like), and
# the ``paragraph_open`` and ``paragraph_close`` around a one-line item's
# inline token (the levels of the tokens made are kept), and tight lists'
# paragraphs are not marked hidden. For what reads only a page's headings,
# inline content and code (``linklint.markdown``'s walk): most tokens of a
# page of notes, never made.
LEAN = "linklint lean lists"

# The block rules that may be tried on a line whatever its first character
# (``None`` in the parser's table of starting characters) and that cannot
# take a line that passes this module's checks: indented code is ruled out
# by its indentation, a table by the line after it (see ``paragraph_ends``).
_ANYWHERE = frozenset({"table", "code", "lheading", "paragraph"})
# A setext heading's underline (markdown-it-py's lheading rule).
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")

# A list marker (markdown-it-py's ``skipBulletListMarker`` and
# ``skipOrderedListMarker``), a fence's, a heading's, and a thematic break.
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?:[ \t]|$)", re.M)
_HEADING_MARKER = re.compile(r"#{1,6}(?:[ \t]|$)", re.M)
_THEMATIC_BREAK = re.compile(r"([*_-])(?:[ \t]*\1){2,}[ \t]*")


def _no_list_marker(src: str, pos: int, end: int) -> bool:
    if src[pos] in "*-+":
        return pos + 1 < end and src[pos + 1] not in " \t"
    return _ORDERED_MARKER.match(src, pos, end) is None


def _no_fence(src: str, pos: int, end: int) -> bool:
    return not src.startswith(src[pos] * 3, pos, end)


def _no_heading(src: str, pos: int, end: int) -> bool:
    return _HEADING_MARKER.match(src, pos, end) is None


def _no_thematic_break(src: str, pos: int, end: int) -> bool:
    return _THEMATIC_BREAK.fullmatch(src, pos, end) is None


def _no_definition(src: str, pos: int, end: int) -> bool:
    # A definition's label ends with `]:`; the lines it could take over after
    # the first are the paragraph's, and this one has only the first.
    return src.find("]:", pos, end) < 0


# For the rules that a line's first character decides on (``rule_starts``),
# whether the rule cannot start a block at ``pos``, the first character of a
# line that ends at ``end`` and is all a paragraph has. A rule not named here
# (a quote, HTML, MDX's statements) always goes through the tokenizer.
_RULED_OUT: dict[str, Callable[[str, int, int], bool]] = {
    "list": _no_list_marker,
    "fence": _no_fence,
    "heading": _no_heading,
    "hr": _no_thematic_break,
    "reference": _no_definition,
}

# Lists the parser must parse exactly as markdown-it-py's list rule does
# before it uses this one: one-line and longer items, lazy lines, nested
# lists and quotes, blank lines, tables, headings and definitions after an
# item's first line, markers that end a list or do not.
SAMPLES = (
    "- a\n- b\n",
    "*   one\n    *   two [x](y.md)\n    *   three\n*   four\n",
    "1. a\n2. b\n\n3. c\n",
    "- a\nlazy\n- b\n  more\n\n  para\n- c\n",
    "- a\n---\n",
    "- a\n-\n- b\n",
    "- a\n  - b\n    - c\n     - d\n",
    "- a\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n",
    "- a | b\n  |---|---|\n",
    "- a\n  ===\n- b\n  # h\n- c\n  > q\n",
    "- [a](b.md)\n- [c]: d.md\n- [e\n  ]: f.md\n\n[e]\n",
    "- a\n1. b\n+ c\n2) d\n",
    "10. a\n11. b\n    code\n",
    "-     code\n- \ta\n-\n  b\n",
    "> - a\n> - b\nc\n",
    "- a\n\n\n- b\n",
    "- `a`\n- ```\n  b\n  ```\n",
    "* a\n    * b\n* c\n\n  d\n",
    "-\ta\n\t- b\n",
    "- a\n    b\n      c\n",
    "- **b**\n- *i*\n- * * *\n- *\n- `c`\n- ~~s~~\n- ~~~\n  f\n  ~~~\n",
    "- a\n  ---\n- b\n  ===\n- c\n  *\n- d\n  + \n- e\n  1.\n",
    "- 1.5 x\n- 2. y\n- 3.\n- 1234567890. z\n- #tag\n- # h\n- #\n- _u_\n- ___\n- +x\n- + y\n",
)


def list_rule(md: Any, rule_starts: Mapping[str, str | None]) -> BlockRule | None:
    """The list rule for parser ``md``, whose enabled block rules can match
    lines starting with ``rule_starts[name]`` (None: any character); None
    where this module cannot tell which rule takes an item's first line."""
    if md.options.get("tasklists", False):
        return None
    anywhere = {name for name, starts in rule_starts.items() if starts is None}
    if not anywhere <= _ANYWHERE or "paragraph" not in rule_starts or "lheading" not in rule_starts:
        return None
    # Per character the rules a line starting with it may start, as the
    # checks of ``_RULED_OUT`` that they do not (None: one has no check).
    checks: dict[str, tuple[Callable[[str, int, int], bool], ...] | None] = {}
    for name, starts in rule_starts.items():
        for char in starts or ():
            known = checks.get(char, ())
            check = _RULED_OUT.get(name)
            checks[char] = None if known is None or check is None else (*known, check)
    underline = _UNDERLINE.fullmatch
    max_nesting = md.options.maxNesting
    ruler = md.block.ruler  # its ``getRules`` is looked up when used: the parser replaces it
    code = "code" in anywhere

    def paragraph_ends(state: Any, line: int, end_line: int, indent: int) -> bool:
        """Whether a one-line item's paragraph at ``line`` ends there (its
        first line checked): the next line is blank, or no more, or starts a
        block that ends a paragraph and is no setext underline. (Nor is it
        then a table's delimiter row: no such row starts a block.)"""
        below = line + 1
        if below >= end_line:
            return True
        src = state.src
        start = state.bMarks[below] + state.tShift[below]
        end = state.eMarks[below]
        if start >= end:
            return True
        column = state.sCount[below]
        if column - indent > 3 or column < 0:
            return False  # a lazy line of the paragraph
        if column >= indent and src[start] in "=-" and underline(src, start, end) is not None:
            return False
        parent = state.parentType
        state.parentType = "paragraph"  # as markdown-it-py's lheading leaves it
        if src[start] in "*-+" and _bullet_item_ends_paragraph(state, src, start, end, column):
            return True
        for rule in ruler.getRules("paragraph"):
            if rule(state, below, end_line, True):
                return True
        state.parentType = parent
        return False

    def one_line_paragraph(state: Any, line: int, end_line: int) -> bool:
        """The tokens markdown-it-py's tokenizer makes of the item whose
        first line is ``line``, when its paragraph is that line and
        nothing else could start there (False, and nothing made, otherwise)."""
        src = state.src
        pos = state.bMarks[line] + state.tShift[line]
        end = state.eMarks[line]
        if pos >= end or end_line != state.lineMax or state.level >= max_nesting:
            return False
        ruled_out = checks.get(src[pos], ())
        if ruled_out is None or not all(check(src, pos, end) for check in ruled_out):
            return False
        indent = state.blkIndent
        if code and state.sCount[line] - indent >= 4:
            return False
        if not paragraph_ends(state, line, end_line, indent):
            return False
        below = line + 1
        state.line = below
        content = state.getLines(line, below, indent, False).strip(MD_TRIM_CHARS)
        lean = LEAN in state.env
        if lean:
            state.level += 1
        else:
            token = state.push("paragraph_open", "p", 1)
            token.map = [line, below]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [line, below]
        token.children = []
        if lean:
            state.level -= 1
        else:
            state.push("paragraph_close", "p", -1)
        return True

    def item(state: Any, line: int, end_line: int) -> None:
        """What ``md.block.tokenize(state, line, end_line)`` does for a list
        item, its first paragraph made by ``one_line_paragraph`` when it can."""
        if not one_line_paragraph(state, line, end_line):
            md.block.tokenize(state, line, end_line)
            return
        # The tokenizer's step after a block, then its next turn.
        state.tight = True
        line = state.line
        empty = False
        if line < end_line and state.isEmpty(line):
            empty = True
            line += 1
        state.line = line = state.skipEmptyLines(line)
        if line < end_line and state.sCount[line] >= state.blkIndent:
            _tokenize(state, line, end_line, empty, ruler.getRules(""), max_nesting)

    def list_block(state: Any, startLine: int, endLine: int, silent: bool) -> bool:
        isTerminatingParagraph = False
        tight = True

        if state.is_code_block(startLine):
            return False

        # Special case:
        #  - item 1
        #   - item 2
        #    - item 3
        #     - item 4
        #      - this one is a paragraph continuation
        if state.listIndent >= 0 and state.sCount[startLine] - state.listIndent >= 4 and state.sCount[startLine] < state.blkIndent:
            return False

        # Limit conditions when a list can interrupt a paragraph (validation
        # mode only); the next list item should still end the previous one.
        if silent and state.parentType == "paragraph" and state.sCount[startLine] >= state.blkIndent:
            isTerminatingParagraph = True

        # Detect the list type and the position after the marker.
        posAfterMarker = skipOrderedListMarker(state, startLine)
        if posAfterMarker >= 0:
            isOrdered = True
            start = state.bMarks[startLine] + state.tShift[startLine]
            markerValue = int(state.src[start : posAfterMarker - 1])
            # A new ordered list right after a paragraph starts with 1.
            if isTerminatingParagraph and markerValue != 1:
                return False
        else:
            posAfterMarker = skipBulletListMarker(state, startLine)
            if posAfterMarker >= 0:
                isOrdered = False
            else:
                return False

        # A new unordered list right after a paragraph has a first line.
        if isTerminatingParagraph and state.skipSpaces(posAfterMarker) >= state.eMarks[startLine]:
            return False

        # The list ends where the marker changes.
        markerChar = state.src[posAfterMarker - 1]

        if silent:
            return True

        listTokIdx = len(state.tokens)
        lean = LEAN in state.env
        listLines = [startLine, 0]

        if lean:
            state.level += 1
        else:
            if isOrdered:
                token = state.push("ordered_list_open", "ol", 1)
                if markerValue != 1:
                    token.attrs = {"start": markerValue}
            else:
                token = state.push("bullet_list_open", "ul", 1)
            token.map = listLines
            token.markup = markerChar

        nextLine = startLine
        prevEmptyEnd = False
        terminatorRules = ruler.getRules("list")

        oldParentType = state.parentType
        state.parentType = "list"

        while nextLine < endLine:
            pos = posAfterMarker
            maximum = state.eMarks[nextLine]

            initial = offset = state.sCount[nextLine] + posAfterMarker - (state.bMarks[startLine] + state.tShift[startLine])

            while pos < maximum:
                ch = state.src[pos]
                if ch == "\t":
                    offset += 4 - (offset + state.bsCount[nextLine]) % 4
                elif ch == " ":
                    offset += 1
                else:
                    break
                pos += 1

            contentStart = pos

            # Trimming space in the "-    \n  3" case: the indent is 1 here.
            indentAfterMarker = 1 if contentStart >= maximum else offset - initial

            # More than 4 spaces: the indent is 1 (the rest is indented code).
            if indentAfterMarker > 4:
                indentAfterMarker = 1

            indent = initial + indentAfterMarker

            itemLines = [startLine, 0]
            if lean:
                state.level += 1
            else:
                token = state.push("list_item_open", "li", 1)
                token.markup = markerChar
                token.map = itemLines
                if isOrdered:
                    token.info = state.src[start : posAfterMarker - 1]

            # Change the state for the item, and put it back after.
            oldTight = state.tight
            oldTShift = state.tShift[startLine]
            oldSCount = state.sCount[startLine]

            oldListIndent = state.listIndent
            state.listIndent = state.blkIndent
            state.blkIndent = indent

            state.tight = True
            state.tShift[startLine] = contentStart - state.bMarks[startLine]
            state.sCount[startLine] = offset

            if contentStart >= maximum and state.isEmpty(startLine + 1):
                # An empty item: the list ends before the line after the blank one.
                state.line = min(state.line + 2, endLine)
            else:
                item(state, startLine, endLine)

            # A list with any loose item is loose.
            if (not state.tight) or prevEmptyEnd:
                tight = False

            # An item ending with a blank line makes the list loose, unless
            # it is the last one (the blank line ends the list).
            prevEmptyEnd = (state.line - startLine) > 1 and state.isEmpty(state.line - 1)

            state.blkIndent = state.listIndent
            state.listIndent = oldListIndent
            state.tShift[startLine] = oldTShift
            state.sCount[startLine] = oldSCount
            state.tight = oldTight

            if lean:
                state.level -= 1
            else:
                token = state.push("list_item_close", "li", -1)
                token.markup = markerChar

            nextLine = startLine = state.line
            itemLines[1] = nextLine

            if nextLine >= endLine:
                break

            # Is the list continued or ended?
            if state.sCount[nextLine] < state.blkIndent:
                break

            if state.is_code_block(startLine):
                break

            terminate = False
            for terminatorRule in terminatorRules:
                if terminatorRule(state, nextLine, endLine, True):
                    terminate = True
                    break
            if terminate:
                break

            # The list ends where its type changes.
            if isOrdered:
                posAfterMarker = skipOrderedListMarker(state, nextLine)
                if posAfterMarker < 0:
                    break
                start = state.bMarks[nextLine] + state.tShift[nextLine]
            else:
                posAfterMarker = skipBulletListMarker(state, nextLine)
                if posAfterMarker < 0:
                    break

            if markerChar != state.src[posAfterMarker - 1]:
                break

        if lean:
            state.level -= 1
        else:
            if isOrdered:
                token = state.push("ordered_list_close", "ol", -1)
            else:
                token = state.push("bullet_list_close", "ul", -1)
            token.markup = markerChar

        listLines[1] = nextLine
        state.line = nextLine

        state.parentType = oldParentType

        # Mark the paragraphs tight if needed.
        if tight and not lean:
            markTightParagraphs(state, listTokIdx)

        return True

    return list_block


def _bullet_item_ends_paragraph(state: Any, src: str, start: int, end: int, column: int) -> bool:
    """Whether markdown-it-py's list rule, asked whether a line starting with
    `*`, `-` or `+` at ``start`` ends a paragraph, says yes (False: it may
    say no). Enough for the rules that could end a paragraph: the list rule
    is one of them. The line is no code (the caller checked)."""
    if state.listIndent >= 0 and column - state.listIndent >= 4 and column < state.blkIndent:
        return False
    after = start + 1
    if after < end and src[after] not in " \t":
        return False  # no marker
    # A list may interrupt a paragraph of its own item only with a first line.
    return column < state.blkIndent or bool(src[after:end].strip(" \t"))


def _tokenize(state: Any, line: int, end_line: int, empty: bool, rules: list[BlockRule], max_nesting: int) -> None:
    """markdown-it-py's block tokenizer from ``line`` on, as if the lines
    before had been its own (``empty``: it passed a blank line after a
    block)."""
    while line < end_line:
        state.line = line = state.skipEmptyLines(line)
        if line >= end_line:
            break
        if state.sCount[line] < state.blkIndent:
            break
        if state.level >= max_nesting:
            state.line = end_line
            break
        for rule in rules:
            if rule(state, line, end_line, False):
                if state.line <= line:
                    raise RuntimeError("block rule didn't increment state.line")
                break
        else:
            raise RuntimeError("none of the block rules matched")
        state.tight = not empty
        line = state.line
        if line - 1 < end_line and state.isEmpty(line - 1):
            empty = True
        if line < end_line and state.isEmpty(line):
            empty = True
            line += 1
            state.line = line
