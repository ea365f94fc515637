"""``linklint fix``: apply the fixes rules attach to their findings.

A fix is a tuple of edits on the exact decoded text of one file. Applying them
copies every character outside the edits verbatim, so line endings (LF, CRLF),
tabs, non-ASCII text and a missing final newline survive; the byte-order mark
is written back when the file had one.

The fixes of one file are applied in rounds, in memory:

1. lint the site (with the edited texts standing in for the files on disk);
2. per file, take the applicable fixes in report order, skip one whose edits
   overlap an edit already taken (it is retried next round, against the edited
   text), and apply the rest;
3. refuse any fix that would change the file's Markdown block structure (a
   paragraph swallowed by a list, a code fence left open): block tokens and
   their line ranges must be the same before and after, apart from the one
   paragraph a call-to-action insertion adds;
4. repeat until nothing fixable is left, or fail after ``MAX_ROUNDS`` rounds
   ("failed to converge") without writing anything.

Because the loop runs until no applicable fix is left, fixing the result again
changes nothing. Files are written only at the end, each atomically (a
temporary file in the same folder, then ``os.replace``), with the file's mode,
and never outside the repository or through a symbolic link.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import posixpath
import re
import stat
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from linklint.decode import BOM
from linklint.model import Applicability, Document, Edit, Violation

if TYPE_CHECKING:
    from linklint.config import Config
    from linklint.engine import Run, Selection

MAX_ROUNDS = 10

# Rules whose fixes add content to a whole post (links, a call to action). They
# are applied one per file per round, and only in a round without other fixes
# to that file: each decides what to insert from the post as it stands, so it
# must see the links the other fixes repaired and the links the other inserted.
INSERTING_RULES = frozenset({"LL001", "LL002"})


class FixError(Exception):
    """Fixing cannot finish (it does not converge); nothing was written."""


@dataclass(frozen=True)
class AppliedFix:
    code: str
    line: int
    column: int
    title: str
    applicability: Applicability


@dataclass(frozen=True)
class Refusal:
    path: str
    code: str
    line: int
    column: int
    title: str
    reason: str


@dataclass
class FileFix:
    """One file's text before and after fixing."""

    path: str
    before: str
    after: str
    bom: bool
    applied: list[AppliedFix] = field(default_factory=list)

    def encoded(self) -> bytes:
        return encode(self.after, self.bom)


@dataclass
class FixResult:
    files: dict[str, FileFix]
    refused: list[Refusal]
    run: Run  # the lint of the fixed site
    rounds: int

    @property
    def fixed(self) -> int:
        return sum(len(f.applied) for f in self.files.values())


def encode(text: str, bom: bool) -> bytes:
    return (BOM if bom else b"") + text.encode("utf-8")


# -- edits -------------------------------------------------------------------------------


def conflicts(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same text, or insert at the same place (where
    their order would be a guess)."""
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied; everything between them
    is copied as it is."""
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos or edit.end < edit.start or edit.end > len(text):
            raise ValueError(f"edit {edit} overlaps another or lies outside the text")
        out.append(text[pos : edit.start])
        out.append(edit.content)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def _valid(edits: Sequence[Edit], length: int) -> bool:
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    if any(not 0 <= e.start <= e.end <= length for e in ordered):
        return False
    return all(not conflicts(a, b) for a, b in zip(ordered, ordered[1:]))


# -- block structure -----------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class _Block:
    type: str
    tag: str
    nesting: int
    level: int
    hidden: bool
    line: int | None  # first line (0-based), None for closing tokens
    length: int | None  # lines, trailing blank lines not counted
    # Table rows: the unescaped pipes in the row's line. markdown-it drops the
    # cells a row has beyond the header's, so a `|` added to a cell would lose
    # text without changing the tokens.
    pipes: int | None = None


@functools.lru_cache(maxsize=1)
def block_parser():
    """markdown-it with linklint's settings, parsing blocks only (the inline
    content of a block does not change its structure)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    md.core.ruler.disable("inline")
    return md


def markdown_body(text: str) -> str:
    """The text as the block parser sees it: front matter blanked (line count
    kept), every line break a ``\\n``."""
    from linklint.frontmatter import split
    from linklint.textpos import LineIndex

    body_start = split(text, LineIndex(text)).body_start
    prepared = re.sub(r"[^\r\n]", " ", text[:body_start]) + text[body_start:]
    return re.sub(r"\r\n|\r", "\n", prepared)


def block_structure(text: str) -> list[_Block]:
    """The block tokens of a page, as linklint reads it."""
    normal = markdown_body(text)
    lines = normal.split("\n")
    blocks = []
    for token in block_parser().parse(normal):
        line = length = None
        if token.map:
            line, end = token.map
            # Block ranges include the blank lines that close them; a block
            # added after them must not count as a change of the one before.
            while end > line + 1 and end - 1 < len(lines) and not lines[end - 1].strip():
                end -= 1
            length = end - line
        pipes = None
        if token.type == "tr_open" and line is not None and line < len(lines):
            pipes = len(_PIPE.findall(lines[line]))
        blocks.append(_Block(token.type, token.tag, token.nesting, token.level, token.hidden, line, length, pipes))
    return blocks


def structure_kept(before: str, after: str, edits: Sequence[Edit]) -> bool:
    """Whether ``after`` (``before`` with ``edits`` applied) has the same block
    structure, allowing only whole new top-level paragraphs on lines that the
    edits inserted."""
    new_lines = _inserted_lines(after, edits)
    kept: list[_Block] = []
    blocks = block_structure(after)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.line is not None and block.line in new_lines:
            closing = i + 2
            if (
                block.type != "paragraph_open"
                or block.level != 0
                or closing >= len(blocks)
                or blocks[closing].type != "paragraph_close"
                or any(line not in new_lines for line in range(block.line, block.line + (block.length or 1)))
            ):
                return False
            i = closing + 1
            continue
        kept.append(block)
        i += 1
    shift = _line_shift(before, edits)
    expected = [
        b if b.line is None else _Block(b.type, b.tag, b.nesting, b.level, b.hidden, shift(b.line), b.length, b.pipes)
        for b in block_structure(before)
    ]
    return kept == expected


def _inserted_lines(after: str, edits: Sequence[Edit]) -> set[int]:
    """Lines (0-based) of ``after`` that lie entirely inside text an edit
    inserted (only edits that insert line breaks can add lines)."""
    ranges: list[tuple[int, int]] = []
    delta = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = edit.start + delta
        delta += len(edit.content) - (edit.end - edit.start)
        if re.search(r"[\r\n]", edit.content):
            ranges.append((start, start + len(edit.content)))
    lines: set[int] = set()
    if not ranges:
        return lines
    for number, match in enumerate(_LINE.finditer(after)):
        line_start = match.start()
        line_end = line_start + len(match.group().rstrip("\r\n"))
        for start, end in ranges:
            # A line that begins where the insertion begins is new only when
            # the insertion was made at the start of a line.
            at_line_start = start == 0 or after[start - 1] in "\r\n"
            if start <= line_start < end and line_end <= end and (line_start > start or at_line_start):
                lines.add(number)
    return lines


def _line_shift(before: str, edits: Sequence[Edit]):
    """Maps a line of ``before`` to its line in the edited text."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", before)]
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    added = [(e.end, len(re.findall(r"\r\n|\r|\n", e.content)) - len(re.findall(r"\r\n|\r|\n", before[e.start : e.end]))) for e in ordered]

    def shift(line: int) -> int:
        if line >= len(starts):
            return line
        offset = starts[line]
        return line + sum(n for end, n in added if end <= offset)

    return shift


# -- the fixing loop -----------------------------------------------------------------------


class _Overlay:
    """Stands in for the parse cache of one fix run: files being fixed are read
    from their edited texts, and every page parsed once is reused by the next
    rounds (only edited pages are parsed again)."""

    def __init__(self, max_bytes: int, inner=None) -> None:
        self.max_bytes = max_bytes
        self.inner = inner
        self.texts: dict[str, bytes] = {}
        self.parsed: dict[tuple[str, bytes], Document] = {}
        self.terms: dict[tuple[str, bytes | str], dict[str, int]] = {}

    @staticmethod
    def _key(rel: str, data: bytes) -> tuple[str, bytes]:
        return rel, hashlib.blake2b(data, digest_size=16).digest()

    def get(self, rel: str, data: bytes) -> Document | None:
        from linklint.document import parse_document

        content = self.texts.get(rel, data)
        key = self._key(rel, content)
        doc = self.parsed.get(key)
        if doc is None and rel in self.texts:
            doc = self.parsed[key] = parse_document(rel, content, max_bytes=self.max_bytes)
        if doc is None and self.inner is not None:
            doc = self.inner.get(rel, data)
            if doc is not None:
                self.parsed[key] = doc
        return doc

    def put(self, rel: str, data: bytes, doc: Document) -> None:
        self.parsed[self._key(rel, data)] = doc
        if self.inner is not None and rel not in self.texts:
            self.inner.put(rel, data, doc)

    # Normalised anchor texts depend on the text alone: the real cache's serve.
    def get_anchors(self) -> dict[str, dict[str, str]]:
        return self.inner.get_anchors() if self.inner is not None else {}

    def put_anchors(self, anchors: dict[str, dict[str, str]]) -> None:
        if self.inner is not None:
            self.inner.put_anchors(anchors)

    # So does the lexicon (tokens and lemmas of written forms).
    def get_lexicon(self, language: str):  # type: ignore[no-untyped-def]
        return self.inner.get_lexicon(language) if self.inner is not None else None

    def put_lexicon(self, language: str, lexicon) -> None:  # type: ignore[no-untyped-def]
        if self.inner is not None:
            self.inner.put_lexicon(language, lexicon)

    # Content terms (lemmas) are keyed by the text alone: each round reuses
    # the terms of every page the fixes did not touch.
    def get_terms(self, data: bytes | str, language: str = "en") -> dict[str, int] | None:
        key = (language, data)
        terms = self.terms.get(key)
        if terms is None and self.inner is not None:
            terms = self.inner.get_terms(data, language)
            if terms is not None:
                self.terms[key] = terms
        return terms

    def put_terms(self, data: bytes | str, terms: dict[str, int], language: str = "en") -> None:
        self.terms[(language, data)] = terms
        if self.inner is not None:
            self.inner.put_terms(data, terms, language)


def _identity(v: Violation, text: str) -> tuple:
    """What a fix is, independent of where earlier fixes moved it."""
    assert v.fix is not None
    return (v.path, v.code, tuple((text[e.start : e.end], e.content) for e in v.fix.edits))


def _applicable(v: Violation, unsafe: bool) -> bool:
    fix = v.fix
    if fix is None or not fix.edits:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def _select(text: str, violations: list[Violation], refused: set[tuple]) -> tuple[list[Violation], list[Violation]]:
    """The fixes to apply to one file this round (report order; a fix shared by
    several findings, such as an edit to one reference definition, counts for
    each), and those that are invalid."""
    chosen: list[Violation] = []
    invalid: list[Violation] = []
    taken: list[Edit] = []
    seen: set[tuple[Edit, ...]] = set()
    for v in violations:
        assert v.fix is not None
        if _identity(v, text) in refused:
            continue
        edits = v.fix.edits
        if not _valid(edits, len(text)):
            invalid.append(v)
            continue
        if edits in seen:
            chosen.append(v)
            continue
        if any(conflicts(a, b) for a in edits for b in taken):
            continue
        seen.add(edits)
        taken.extend(edits)
        chosen.append(v)
    others = [v for v in chosen if v.code not in INSERTING_RULES]
    if others:
        return others, invalid
    return chosen[:1], invalid


def _apply_checked(text: str, fixes: list[Violation]) -> tuple[str, list[Violation], list[Violation]]:
    """Apply ``fixes`` to ``text``, refusing those that change the block
    structure: ``(new text, applied, refused)``."""

    def edits_of(group: list[Violation]) -> list[Edit]:
        unique: dict[tuple[Edit, ...], None] = {}
        for v in group:
            unique[v.fix.edits] = None  # type: ignore[union-attr]
        return [e for edits in unique for e in edits]

    edits = edits_of(fixes)
    new = apply_edits(text, edits)
    if structure_kept(text, new, edits):
        return new, fixes, []
    # Find the culprits one fix at a time.
    accepted: list[Violation] = []
    refused: list[Violation] = []
    for v in fixes:
        trial = edits_of(accepted + [v])
        candidate = apply_edits(text, trial)
        if structure_kept(text, candidate, trial):
            accepted.append(v)
        else:
            refused.append(v)
    return apply_edits(text, edits_of(accepted)), accepted, refused


def fix_site(
    root: Path,
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    selection: Selection | None = None,
    unsafe: bool = False,
    max_rounds: int = MAX_ROUNDS,
    jobs: int | None = None,
    cache=None,
) -> FixResult:
    """Fix the site at ``root`` in memory: apply safe fixes (and unsafe ones
    with ``unsafe``) to the files in ``paths`` until nothing fixable is left.
    Nothing is written; see ``write_changes``."""
    from linklint.engine import check

    overlay = _Overlay(config.max_file_size, cache)
    originals: dict[str, Document] = {}
    applied: dict[str, list[AppliedFix]] = defaultdict(list)
    refused_keys: set[tuple] = set()
    refusals: list[Refusal] = []
    last_changed: list[str] = []
    for round_number in range(1, max_rounds + 2):
        run = check(root, config, paths=paths, selection=selection, cache=overlay, jobs=jobs, unsafe_fixes=unsafe)
        pending: dict[str, list[Violation]] = defaultdict(list)
        for v in run.report.violations:
            if _applicable(v, unsafe):
                pending[v.path].append(v)
        changed: list[str] = []
        for path, candidates in pending.items():
            doc = run.site.documents[path]
            text = doc.text
            chosen, invalid = _select(text, candidates, refused_keys)
            for v in invalid:
                _refuse(v, text, "its edits overlap or lie outside the file", refused_keys, refusals)
            if not chosen:
                continue
            new, done, bad = _apply_checked(text, chosen)
            for v in bad:
                _refuse(v, text, "it would change the Markdown block structure", refused_keys, refusals)
            if new == text:
                for v in done:
                    _refuse(v, text, "it changes nothing", refused_keys, refusals)
                continue
            originals.setdefault(path, doc)
            applied[path].extend(
                AppliedFix(v.code, v.span.line, v.span.column, v.fix.title, v.fix.applicability)  # type: ignore[union-attr]
                for v in done
            )
            overlay.texts[path] = encode(new, doc.bom)
            changed.append(path)
        if not changed:
            files = {
                path: FileFix(path, doc.text, run.site.documents[path].text, doc.bom, applied[path])
                for path, doc in originals.items()
                if run.site.documents[path].text != doc.text
            }
            return FixResult(files, refusals, run, round_number)
        if round_number > max_rounds:
            break
        last_changed = changed
    names = ", ".join(sorted(last_changed)[:5]) + (" …" if len(last_changed) > 5 else "")
    raise FixError(
        f"failed to converge: the fixes still changed {names} after {max_rounds} rounds; nothing was written"
    )


def _refuse(v: Violation, text: str, reason: str, keys: set[tuple], out: list[Refusal]) -> None:
    key = _identity(v, text)
    if key in keys:
        return
    keys.add(key)
    out.append(Refusal(v.path, v.code, v.span.line, v.span.column, v.fix.title if v.fix else "", reason))


# -- writing -----------------------------------------------------------------------------


class WriteRefused(Exception):
    pass


def write_changes(root: Path, result: FixResult) -> list[tuple[str, str]]:
    """Write every fixed file; return ``(path, reason)`` for those refused."""
    problems: list[tuple[str, str]] = []
    for path, change in sorted(result.files.items()):
        try:
            write_file(root, path, change.encoded(), expected=encode(change.before, change.bom))
        except WriteRefused as exc:
            problems.append((path, str(exc)))
        except OSError as exc:
            problems.append((path, f"cannot be written: {exc.strerror or exc}"))
    return problems


def write_file(root: Path, rel: str, data: bytes, *, expected: bytes | None = None) -> None:
    """Replace the repository file ``rel`` with ``data`` atomically, keeping its
    mode. Refuses a path outside the repository, a symbolic link (or a path
    through a linked folder), anything that is not a regular file, and a file
    whose content is no longer ``expected`` (changed while linklint ran)."""
    real_root = Path(os.path.realpath(root))
    norm = posixpath.normpath(rel)
    if posixpath.isabs(norm) or norm == ".." or norm.startswith("../") or norm == ".":
        raise WriteRefused("is outside the repository; not written")
    path = real_root / norm
    if os.path.realpath(path.parent) != str(path.parent):
        raise WriteRefused("lies behind a symbolic link; not written")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise WriteRefused("no longer exists; not written") from None
    if stat.S_ISLNK(info.st_mode):
        raise WriteRefused("is a symbolic link; not written")
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused("is not a regular file; not written")
    if expected is not None and path.read_bytes() != expected:
        raise WriteRefused("changed on disk while linklint was fixing it; not written")
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".linklint")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


# -- showing changes ------------------------------------------------------------------------


def unified_diff(result: FixResult) -> str:
    """The changes as a unified diff (``a/`` and ``b/`` prefixes, as Git writes
    them), files in path order."""
    out: list[str] = []
    for path, change in sorted(result.files.items()):
        before = _LINE.findall(change.before)
        after = _LINE.findall(change.after)
        for line in difflib.unified_diff(before, after, f"a/{path}", f"b/{path}", lineterm="\n"):
            if line.startswith(("---", "+++", "@@")):
                out.append(line if line.endswith("\n") else line + "\n")
            elif line.endswith(("\n", "\r")):
                out.append(line)
            else:
                out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
