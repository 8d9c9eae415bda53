"""`check`, top to bottom: find the files, load them, validate them, then run every check.

All data is gathered before any check runs, so one broken file costs one diagnostic and the
rest of the catalogue is still checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from compiler.checks import CHECKS, Context, deviations, findings_cache
from compiler.checks.findings_cache import Findings, FindingsCache
from compiler.codes import CODES
from compiler.diagnostics import Collector, Diagnostic, Location, Severity, totals
from compiler.domain.corpus import Corpus, Departments, ListEntry
from compiler.domain.deadlines import Deadlines, assess
from compiler.domain.floor_match import FloorMatch, match
from compiler.models import Catalogue, DepartmentRegistry
from compiler.output.report import CheckReport, ListFacts, ListOutcome
from compiler.review import decisions, records
from compiler.source import loader, workers
from compiler.source.document_cache import DocumentCache, Loaded
from compiler.source.inputs import (  # noqa: F401  (YAML_SUFFIXES: re-exported)
    REGISTRY_FILE,
    YAML_SUFFIXES,
    Inputs,
    InvalidFile,
    _absolute,
    catalogue_jobs,
    find_root,
    inputs,
    yaml_files,
)
from compiler.source.loader import Document, decode, load, load_bytes
from compiler.source.syntax_errors import QUOTED_CODES
from compiler.source.validate import validate

# Below this many files per worker, loading in one process is quicker than starting a pool.
PARALLEL_FILES = 100
# From this many files the cyclic garbage collector waits until the check is done (see below).
QUIET_COLLECTOR_FILES = 200


@dataclass
class ListResult:
    """What the reports say about one list."""

    entry: ListEntry
    compliant: bool
    deadlines: Deadlines
    errors: int
    warnings: int  # not counting deviations
    deviations: int = 0  # findings answered by a justified deviation, awaiting the reviewer
    floor: ListEntry | None = None  # the floor it was compared with (None: none, unknown, or a cycle)
    match: FloorMatch | None = None  # what in it fulfils what in its floor, computed once per check
    accepted: int = 0  # deviations the reviewer accepted (review records), counted apart

    def outcome(self) -> ListOutcome:
        """What the reports print of this list."""
        return ListOutcome(ListFacts.of(self.entry), self.compliant, self.deadlines, self.errors, self.warnings,
                           self.deviations, self.accepted)


@dataclass
class CheckResult:
    root: Path
    corpus: Corpus
    diagnostics: Collector
    as_of: dt.date
    lists: list[ListResult] = field(default_factory=list)
    invalid: list[InvalidFile] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)  # every parsed file, for excerpts
    reviews: records.Reviews = field(default_factory=records.Reviews)  # the review records, by list edition
    # With a cache folder: each checked list's findings key, and each read file's content digest, by file name
    keys: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str | None] = field(default_factory=dict)

    def exit_code(self) -> int:
        return 1 if self.diagnostics.has_errors else 0

    def report(self) -> CheckReport:
        """The check as the output formats print it."""
        return CheckReport(self.root, self.as_of, self.diagnostics, [r.outcome() for r in self.lists], self.invalid,
                           self.documents)


def check(paths: list[Path], as_of: dt.date, cache: Path | None = None) -> CheckResult:
    """Check the catalogue the `paths` belong to, reporting on them; `cache`: the cache folder, where
    each file is kept as loaded (`document_cache`), None to load every file."""
    found = inputs(paths)
    return check_files(found.root, found.files, found.reported, as_of, cache)


def check_files(root: Path, files: list[Path], reported: set[str], as_of: dt.date,
                cache: Path | None = None) -> CheckResult:
    """Check `files` of the catalogue at `root`, reporting on `reported`; with a `cache` folder, each
    file is kept as loaded and each list's findings by what they depend on (those `check` keeps)."""
    with collector_paused(len(files)):
        return _check_files(root, files, reported, as_of, DocumentCache(cache), cache)


@contextmanager
def collector_paused(files: int) -> Iterator[None]:
    """Loading makes millions of long-lived objects and no reference cycles; the cyclic garbage
    collector's repeated passes over them cost more than the loading itself (37 s of 57 for a
    national catalogue of 3,200 lists). From QUIET_COLLECTOR_FILES files it is off while the catalogue is loaded and checked, and
    what was made meanwhile is then left out of its later passes (freed as usual when unused)."""
    if files < QUIET_COLLECTOR_FILES:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _load_job(job: tuple[bytes, Path, str], strings: dict[str, str]) -> tuple[Document | None, list[Diagnostic]]:
    return load_bytes(*job, strings=strings)


def _load_all(jobs: list[tuple[Path, str]], kept: DocumentCache, is_review: Callable[[Path], bool],
              digests: dict[str, str | None] | None = None) -> Iterator[Loaded]:
    """Each file loaded and, unless a review record, validated, in order: from `kept` where its
    bytes were loaded before, else parsed (for a large catalogue in forked workers, one per core).
    Into `digests`, where given: each read file's content digest, by name.

    Parsing is most of the work and needs nothing but the bytes; the parent validates and checks,
    so the results, and their order, are those of loading in one process.
    """
    read = [loader.read(path, name) for path, name in jobs]  # what a worker parses is what was keyed
    if digests is not None:
        digests.update((name, hashlib.sha256(raw).hexdigest()) for (_, name), (raw, _) in zip(jobs, read) if raw is not None)
    keys = [kept.key(raw, path, name) if raw is not None and kept.folder is not None else None
            for (path, name), (raw, _) in zip(jobs, read)]
    hits = {k: hit for k in keys if k is not None and (hit := kept.get(k)) is not None}
    todo = [(raw, path, name) for (path, name), (raw, _), k in zip(jobs, read, keys)
            if raw is not None and k not in hits]
    parsed = _parse_all(todo)
    for (path, _), (raw, problems), k in zip(jobs, read, keys):
        if raw is None:
            yield Loaded(None, problems)
        elif k in hits:
            yield hits[k]
        else:
            doc, found = next(parsed)
            loaded = Loaded(doc, found)
            if doc is not None and not is_review(path):
                loaded.model, loaded.problems = validate(doc, Catalogue)
            if k is not None:
                kept.put(k, loaded)
            yield loaded


def _parse_all(jobs: list[tuple[bytes, Path, str]]) -> Iterator[tuple[Document | None, list[Diagnostic]]]:
    # One table of shared strings for the run; a worker gets a fresh one with each batch of
    # files, since sharing survives the trip back to this process only within a batch.
    load_one = functools.partial(_load_job, strings={})
    processes = min(workers.cores(), len(jobs) // PARALLEL_FILES)
    if processes < 2 or not workers.can_fork():
        yield from map(load_one, jobs)
        return
    with workers.pool(processes) as pool:
        yield from pool.imap(load_one, jobs, chunksize=16)


def _check_files(root: Path, files: list[Path], reported: set[str], as_of: dt.date,
                 kept: DocumentCache, folder: Path | None = None) -> CheckResult:
    collector = Collector()
    registry_doc, registry = _load_registry(root, collector)
    entries: list[ListEntry] = []
    invalid: list[InvalidFile] = []
    documents: dict[str, Document] = {registry_doc.name: registry_doc} if registry_doc else {}
    jobs = catalogue_jobs(files, root)
    reviews = records.Reviews()
    digests: dict[str, str | None] = {}
    loading = _load_all(jobs, kept, functools.partial(records.is_review_file, root=root), digests if folder else None)
    for (path, name), loaded in zip(jobs, loading):
        doc, found, model = loaded.doc, list(loaded.found), None
        if doc is None and any(d.code in QUOTED_CODES for d in found):
            documents[name] = _lines_only(path, name)  # so the syntax error can show its line
        if records.is_review_file(path, root):  # a review record, not a list
            if doc is not None:
                documents[name] = doc
                found += records.admit(reviews, doc)
            if name in reported:
                collector.extend(found)
            continue
        if doc is not None:
            documents[name] = doc
            if loaded.problems is None:  # kept as a review record of another catalogue folder
                loaded.model, loaded.problems = validate(doc, Catalogue)
            model = loaded.model
            found += loaded.problems
        if name in reported:
            collector.extend(found)
        if model is None:
            raw_id = doc.data.get("id") if doc is not None and isinstance(doc.data, dict) else None
            if name in reported:  # an id with control characters (a NUL) is not printed as it is
                invalid.append(InvalidFile(name, raw_id if isinstance(raw_id, str) and raw_id.isprintable() else None))
        else:
            assert doc is not None  # a model is only validated from a document
            entries.append(ListEntry(doc, model))
    entries = [records.with_receipt(e, reviews.get(e.model.key)) for e in entries]
    corpus = Corpus(entries, Departments.from_model(registry_doc, registry))
    result = CheckResult(root, corpus, collector, as_of, invalid=invalid, documents=documents, reviews=reviews,
                         digests=digests)
    findings = _KeptFindings.of(result, folder) if folder is not None else None
    result.keys = findings.keys if findings is not None else {}
    return finish(result, reported, findings)


@dataclass
class _KeptFindings:
    """The findings cache `check` keeps, and each list's key in it, by file name."""

    cache: FindingsCache
    keys: dict[str, str]

    @classmethod
    def of(cls, result: CheckResult, folder: Path) -> _KeptFindings:
        keys = findings_cache.corpus_keys(result.corpus, result.digests, findings_cache.registry_state(result.root),
                                          result.as_of.isoformat(), findings_cache.ReviewRecords(result.root),
                                          result.reviews)
        return cls(FindingsCache(folder), keys)


def finish(result: CheckResult, reported: set[str], kept: _KeptFindings | None = None) -> CheckResult:
    """Run every check on each reported list of the loaded corpus (its first holder of an edition);
    a list whose findings are `kept` under its key is not checked again."""
    corpus, collector = result.corpus, result.diagnostics
    _report_duplicates(corpus, collector, reported)
    for review in result.reviews.by_key.values():
        orphan = records.orphan(review, corpus.editions.get(review.model.list, []))
        if orphan is not None and review.doc.name in reported:
            collector.add(orphan)
    for entry in corpus.lists:
        if entry.doc.name not in reported or corpus.by_key[(entry.model.id, entry.model.edition)] is not entry:
            continue
        key = kept.keys.get(entry.doc.name) if kept is not None else None
        if kept is not None and key is not None and (hit := kept.cache.get(key)) is not None:
            produced, summary = hit.produced, _recalled(entry, corpus, result.as_of, hit.outcome)
        else:
            produced, summary = check_list(entry, corpus, result.as_of, result.reviews.get(entry.key))
            if kept is not None and key is not None:
                kept.cache.put(key, Findings(produced, summary.outcome()))
        collector.extend(produced)
        result.lists.append(summary)
    return result


def _recalled(entry: ListEntry, corpus: Corpus, as_of: dt.date, outcome: ListOutcome) -> ListResult:
    """A list's summary from its kept outcome: only what the reports read beyond it (its floor and
    the match with it) is computed again."""
    ctx = _context(entry, corpus, as_of)
    return ListResult(entry, outcome.compliant, outcome.deadlines, outcome.errors, outcome.warnings,
                      outcome.deviations, floor=ctx.floor, match=ctx.match, accepted=outcome.accepted)


def check_list(entry: ListEntry, corpus: Corpus, as_of: dt.date,
               review: records.ReviewEntry | None = None) -> tuple[list[Diagnostic], ListResult]:
    """Every check's findings on one list, the reviewer's record of this edition applied, and its summary."""
    ctx = _context(entry, corpus, as_of)
    produced = [d for _, _, run in CHECKS for d in run(ctx)]
    produced = deviations.apply(ctx, produced)  # after every check: it reads their findings
    produced = decisions.apply(ctx, produced, review)
    return produced, _summarise(ctx, produced)


def load_corpus(root: Path) -> Corpus:
    """Every valid list under `root` and the departments registry, without checking anything."""
    return check_files(root, yaml_files(root), set(), dt.date.today()).corpus


def _lines_only(path: Path, name: str) -> Document:
    text, _ = decode(path.read_bytes())
    return Document(path, name, (text or "").splitlines(), None)


def _load_registry(root: Path, collector: Collector) -> tuple[Document | None, DepartmentRegistry | None]:
    doc, found = load(root / REGISTRY_FILE)
    model = None
    if doc is not None:
        model, problems = validate(doc, DepartmentRegistry)
        found += problems
        if model is not None:
            seen: dict[str, int] = {}
            for k, dept in enumerate(model.departments):
                if dept.id in seen:
                    found.append(Diagnostic("QD107", doc.at(("departments", k, "id")),
                                            {"id": dept.id, "first_line": doc.at(("departments", seen[dept.id], "id")).line}))
                seen.setdefault(dept.id, k)
    collector.extend(found)
    return doc, model


def _report_duplicates(corpus: Corpus, collector: Collector, reported: set[str]) -> None:
    for entry in corpus.lists:
        first = corpus.by_key[(entry.model.id, entry.model.edition)]
        if first is not entry and entry.doc.name in reported:
            collector.add(Diagnostic("QD206", entry.doc.at(("edition",)),
                                     {"list": entry.model.id, "edition": entry.model.edition, "other": first.doc.name},
                                     catalogue=entry.key))


def _context(entry: ListEntry, corpus: Corpus, as_of: dt.date) -> Context:
    floor = corpus.usable_floor(entry)
    return Context(entry, corpus, as_of, floor, match(entry, floor) if floor else None)


def _summarise(ctx: Context, produced: list[Diagnostic]) -> ListResult:
    entry = ctx.entry
    compliant = not any(d.severity is Severity.ERROR and CODES[d.code].family.decides_compliance for d in produced)
    t = totals(produced)
    return ListResult(entry, compliant, assess(entry.model, ctx.as_of, ctx.corpus.newest_edition(entry.model.id)),
                      t.errors, t.warnings, t.deviations, floor=ctx.floor, match=ctx.match,
                      accepted=t.accepted_deviations)


__all__ = ["CheckResult", "ListResult", "InvalidFile", "Inputs", "check", "check_files", "find_root", "inputs", "load_corpus",
           "Location"]
