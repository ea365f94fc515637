"""One run of linklint: discover, parse, build the site, run the rules, report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from linklint import __version__
from linklint.config import Config, apply_front_matter
from linklint.discover import Inventory, inventory
from linklint.loading import load_documents
from linklint.model import Document, Problem, Severity, Span, Violation
from linklint.progress import Progress
from linklint.report import Report
from linklint.rules import RULES, lookup, specs
from linklint.rules.base import Context, RuleSetting
from linklint.site import Site
from linklint.sites import PROFILES, detect
from linklint.suggest import Suggester
from linklint.suppress import Suppressions
from linklint.textpos import LineIndex

if TYPE_CHECKING:
    from linklint.cache import ParseCache

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")


@dataclass
class Selection:
    """Which rules to report (``--select`` / ``--ignore``): codes, code prefixes
    (``LL00``) or names."""

    select: Sequence[str] = ()
    ignore: Sequence[str] = ()

    def wants(self, code: str) -> bool:
        if self.select and not any(_matches(code, s) for s in self.select):
            return False
        return not any(_matches(code, s) for s in self.ignore)


def _matches(code: str, word: str) -> bool:
    rule = lookup(word)
    if rule is not None:
        return rule.CODE == code
    return code.startswith(word.upper())


def unknown_selectors(words: Iterable[str]) -> list[str]:
    return [w for w in words if lookup(w) is None and not any(c.startswith(w.upper()) for c in RULES)]


@dataclass
class Run:
    """Everything a run produced: the report and the site it was made from."""

    report: Report
    site: Site
    settings: dict[str, dict[str, RuleSetting]] = field(default_factory=dict)


def site_pages(config: Config, inv: Inventory) -> list[str]:
    """The Markdown pages of the site, as repository-relative paths."""
    content = config.content.strip("/")
    prefix = "" if content in ("", ".") else content + "/"
    pages = []
    for rel in sorted(inv.files):
        if prefix and not rel.startswith(prefix):
            continue
        content_rel = rel[len(prefix) :]
        if config.is_included(content_rel) and not config.is_excluded(content_rel):
            pages.append(rel)
    return pages


def check(
    root: Path,
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    selection: Selection | None = None,
    cache: ParseCache | None = None,
    jobs: int | None = None,
    progress: bool = False,
    unsafe_fixes: bool = False,
) -> Run:
    """Check the site at ``root``; report violations in ``paths`` (repository-
    relative files or folders) or everywhere when ``paths`` is None."""
    root = root.resolve()
    selection = selection or Selection()
    inv = inventory(root)
    profile_name = detect(inv.files, config.content, inv.root) if config.site == "auto" else config.site
    profile_class = PROFILES[profile_name]
    # Templates, themes and build output of a generator are no pages of the site.
    pages = [p for p in site_pages(config, inv) if not profile_class.ignores(p)]
    bar = Progress(len(pages)) if progress and Progress.wanted() else None
    try:
        documents = load_documents(
            root, pages, config.max_file_size, cache=cache, jobs=jobs, progress=bar.advance if bar else None
        )
    finally:
        if bar:
            bar.close()
    profile = profile_class(config, inv, set(documents), documents)
    site = Site(config, inv, documents, profile)
    suggester = Suggester(site, cache)
    rule_specs = specs()

    settings: dict[str, dict[str, RuleSetting]] = {}
    config_violations: list[Violation] = []
    for rel, doc in documents.items():
        base = config.rule_settings(site.content_path(rel))
        if "linklint" in doc.front_matter:
            line = _front_matter_key_line(doc, "linklint")
            base, errors = apply_front_matter(base, doc.front_matter["linklint"], rule_specs, path=rel, line=line)
            for message in errors:
                violation = _problem_violation(doc, Problem("LL902", message, line, 1), base)
                if violation is not None:
                    config_violations.append(violation)
        settings[rel] = base

    found: list[Violation] = list(config_violations)
    wanted = _path_filter(paths)
    for rel, doc in documents.items():
        # Outside the reported paths only rules that report in *other* pages
        # (LL005 reports at the links into a page) need to run: this is what
        # keeps a pre-commit run on one post from checking the whole site.
        reported_here = wanted(rel)
        for problem in doc.problems if reported_here else ():
            violation = _problem_violation(doc, problem, settings[rel])
            if violation is not None:
                found.append(violation)
        if not doc.text and doc.problems:
            continue
        for code, rule in RULES.items():
            if not hasattr(rule, "check") or not selection.wants(code):
                continue
            if not reported_here and not getattr(rule, "REPORTS_ELSEWHERE", False):
                continue
            setting = settings[rel][code]
            if not setting.enabled:
                continue
            ctx = Context(site, rel, setting.options, suggester, unsafe_fixes)
            for finding in rule.check(ctx):
                where = finding.path or rel
                severity = settings[where][code].level if finding.path else setting.level
                if severity == "off":
                    continue
                if finding.at_most == "warning":
                    severity = "warning"
                found.append(
                    Violation(
                        code,
                        rule.NAME,
                        Severity(severity),
                        where,
                        finding.span,
                        finding.message,
                        finding.target,
                        finding.suggestions,
                        finding.fix,
                    )
                )

    suppressions = {
        rel: Suppressions(doc.directives, lambda w: (lookup(w).CODE if lookup(w) else None))
        for rel, doc in documents.items()
    }
    violations = sorted(
        (
            v
            for v in found
            if selection.wants(v.code)
            and wanted(v.path)
            and not suppressions[v.path].suppressed(v.code, v.span.line)
        ),
        key=Violation.sort_key,
    )
    report = Report(
        version=__version__,
        root=".",
        generator=profile.name,
        files=len(documents),
        violations=violations,
        texts={v.path: documents[v.path].text for v in violations},
    )
    return Run(report, site, settings)


def _path_filter(paths: Sequence[str] | None):
    if paths is None:
        return lambda path: True
    exact = {p.rstrip("/") for p in paths}
    folders = tuple(p.rstrip("/") + "/" for p in paths if p not in ("", "."))
    if "." in exact or "" in exact:
        return lambda path: True
    return lambda path: path in exact or path.startswith(folders)


def _front_matter_key_line(doc: Document, key: str) -> int:
    """The line of a top-level front-matter key, for messages about its value."""
    if doc.front_matter_span is None:
        return 1
    index = LineIndex(doc.text)
    for line in range(doc.front_matter_span.line, doc.front_matter_span.end_line + 1):
        text = index.line_text(line)
        if text.startswith((f"{key}:", f"{key} =", f'"{key}"')):
            return line
    return doc.front_matter_span.line


def _problem_violation(
    doc: Document, problem: Problem, settings: dict[str, RuleSetting]
) -> Violation | None:
    rule = RULES[problem.code]
    level = settings[problem.code].level
    if level == "off":
        return None
    return Violation(
        problem.code,
        rule.NAME,
        Severity(level),
        doc.path,
        _problem_span(doc, problem),
        problem.message,
    )


def _problem_span(doc: Document, problem: Problem) -> Span:
    if not doc.text:
        return Span(0, 0, problem.line, problem.column, problem.line, problem.column)
    index = LineIndex(doc.text)
    line = min(max(problem.line, 1), index.line_count)
    start = index.line_start(line) + min(problem.column - 1, len(index.line_text(line)))
    return index.span(start, start)


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def relative_to_root(root: Path, path: str | os.PathLike[str]) -> str | None:
    """A user-given path as a repository-relative POSIX path, or None when it
    is outside the repository."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(root.resolve())
    except ValueError:
        return None
    text = rel.as_posix()
    return "." if text in ("", ".") else text
