"""`qingdan check`: the report of a whole catalogue or of some of its files, reading only what it needs.

What a check reports is what `pipeline.check_files` finds for the files asked about. It is got
here with less work, in three ways that combine:

- the catalogue's index (`source.catalogue_index`) says what every unchanged file is, so only
  new or edited files are loaded to learn the catalogue's editions, floors and duplicates;
- each list's findings are kept by everything they depend on (`findings_cache`), so only the
  lists an edit touches are checked again, with their floor chains loaded for it;
- many files to load are loaded, validated and checked in worker processes, one per core
  (`shard`, `shard_pool`): each takes whole floor trees, loads floors first, checks each list as
  soon as its chain is loaded and keeps only floors; only heads, findings and facts travel
  between processes. A result stands where its facts are the whole catalogue's (`_standing`);
  the others are checked again once every file is known.

With no cache folder nothing is kept, and everything asked about is loaded and checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from compiler.checks import findings_cache, pipeline
from compiler.checks.findings_cache import Findings, FindingsCache, ReviewRecords, key
from compiler.checks.shard import Facts, Job, Shard, facts_of
from compiler.checks.shard_pool import shard_pool
from compiler.diagnostics import Collector, Diagnostic
from compiler.domain.corpus import Corpus, Departments, ListHead
from compiler.output.report import CheckReport, ListOutcome
from compiler.review import records
from compiler.source import workers
from compiler.source.catalogue_index import FileInfo, IndexStore, chain_of
from compiler.source.inputs import REGISTRY_FILE, Inputs, InvalidFile, catalogue_jobs
from compiler.source.loader import Document, load
from compiler.source.quoted import QuotedFiles
from compiler.source.syntax_errors import QUOTED_CODES

# From this many files to load, they are loaded and checked in one worker per core.
SHARD_FILES = 200


@dataclass
class Plan:
    """What the heads of the catalogue's files decide before any list is checked."""

    checked: list[Job]  # the reported lists that hold their edition first, in file order
    duplicates: list[tuple[Job, str]]  # reported files repeating an edition, with the first holder's name
    chains: dict[str, list[str]]  # each checked list's floors up its chain, by file name
    catalogue: list[ListHead]  # every valid list, in file order
    positions: dict[str, int]


def check_catalogue(found: Inputs, as_of: dt.date, folder: Path | None) -> CheckReport:
    """The report of `found.reported`, using and keeping the caches under `folder` (None: none)."""
    root, reported = found.root, found.reported
    collector = Collector()
    registry_doc, registry = pipeline._load_registry(root, collector)
    jobs = catalogue_jobs(found.files, root)
    is_review = records.in_review_folder(root)
    lists = [job for job in jobs if not is_review(job[0])]
    reviews, review_files = _reviews([job for job in jobs if is_review(job[0])])

    store = IndexStore(folder)
    index = store.index(root)
    digests = {name: index.digest(path, name) for path, name in lists}
    infos: dict[str, FileInfo] = {}
    for _, name in lists:
        if (info := index.info(name, digests[name])) is not None:
            infos[name] = info
    unknown = [job for job in lists if job[1] not in infos]
    shard = Shard(Departments.from_model(registry_doc, registry), reviews, as_of)
    processes = workers.cores() if len(unknown) >= SHARD_FILES and workers.can_fork() else 1
    positions = {name: k for k, (_, name) in enumerate(lists)}
    # Paused for the lists' kept findings too: thousands of them are unpickled after one edit.
    with pipeline.collector_paused(len(lists)), shard_pool(shard, processes) as pool:
        # Many files to load: loaded by floor tree and checked as they come (kept only where they
        # are floors); each result stands if the facts it was made from are the catalogue's.
        streamed = pool.stream(unknown, reported, positions, digests) if len(unknown) >= SHARD_FILES else None
        infos.update(streamed.infos if streamed is not None else pool.load(unknown))
        for path, name in unknown:
            index.record(path, name, digests[name], infos[name])
        index.keep_only({name for _, name in lists})
        store.save(root, index)

        plan = _plan(lists, infos, reported)
        editions = Corpus([], shard.departments, catalogue=plan.catalogue)
        registry_state = findings_cache.registry_state(root, index.digest(root / REGISTRY_FILE, REGISTRY_FILE))
        cache, records_state = FindingsCache(folder), ReviewRecords(root)
        keys, outcomes = {}, {}
        for _, name in plan.checked:
            head = infos[name].head
            assert head is not None
            members = [(n, h) for n in (name, *plan.chains[name]) if (h := infos[n].head) is not None]  # all valid lists
            chain = [(h.id, n, digests[n]) for n, h in members]
            used = findings_cache.applied(reviews, [f"{h.id}@{h.edition}" for _, h in members])
            keys[name] = key(chain, head.floor[0] if head.floor else None, editions, registry_state, as_of.isoformat(),
                             records_state, used)
            if (hit := cache.get(keys[name])) is not None:
                outcomes[name] = (hit.produced, hit.outcome)
        fresh = {name: found for name, found in
                 _standing(streamed.checked if streamed is not None else {}, plan, infos, digests).items()
                 if name not in outcomes}
        outcomes.update(fresh)
        todo = [job for job in plan.checked if job[1] not in outcomes]
        paths = dict((name, path) for path, name in lists)
        done = pool.check(todo, {name: plan.chains[name] for _, name in todo}, paths, plan.positions, plan.catalogue,
                          plan.duplicates)
    for _, name in todo:
        outcomes[name] = done.lists[name]
    for name in (*fresh, *(name for _, name in todo)):
        produced, outcome = outcomes[name]
        cache.put(keys[name], Findings(produced, outcome))
    return _report(found, as_of, collector, jobs, infos, review_files, reviews, plan, editions, outcomes,
                   done.duplicates, registry_doc)


def _reviews(jobs: list[Job]) -> tuple[records.Reviews, dict[str, tuple[list[Diagnostic], Document | None, bool]]]:
    """The catalogue's review records, and each record file's findings, document and whether it may be quoted."""
    reviews = records.Reviews()
    files = {}
    for path, name in jobs:
        doc, found = load(path, name)
        found = list(found)
        if doc is not None:
            found += records.admit(reviews, doc)
        files[name] = (found, doc, doc is not None or any(d.code in QUOTED_CODES for d in found))
    return reviews, files


def _standing(checked: dict[str, tuple[Facts, list[Diagnostic], ListOutcome]], plan: Plan,
              infos: dict[str, FileInfo], digests: dict[str, str | None]) -> dict[str, tuple[list[Diagnostic], ListOutcome]]:
    """The results checked while loading whose facts are the whole catalogue's: they are its results."""
    heads = {name: info.head for name, info in infos.items()}
    by_id: dict[str, list[tuple[int, str, int, bool]]] = {}
    for name, k in plan.positions.items():  # file order
        if (h := heads[name]) is not None:
            by_id.setdefault(h.id, []).append((k, h.id, h.edition, h.draft))
    standing = {}
    for _, name in plan.checked:
        if name in checked:
            facts, produced, outcome = checked[name]
            if facts == facts_of([name, *plan.chains[name]], heads, digests, by_id):
                standing[name] = (produced, outcome)
    return standing


def _plan(lists: list[Job], infos: dict[str, FileInfo], reported: set[str]) -> Plan:
    heads = {name: infos[name].head for _, name in lists}
    first: dict[tuple[str, int], str] = {}
    for _, name in lists:
        if (h := heads[name]) is not None:
            first.setdefault((h.id, h.edition), name)
    plan = Plan([], [], {}, [(h.id, h.edition, h.draft) for _, n in lists if (h := heads[n]) is not None],
                {name: k for k, (_, name) in enumerate(lists)})
    for job in lists:
        h = heads[job[1]]
        if job[1] not in reported or h is None:
            continue
        holder = first[(h.id, h.edition)]
        if holder == job[1]:
            plan.checked.append(job)
            plan.chains[job[1]] = chain_of(h, heads, first)
        else:
            plan.duplicates.append((job, holder))
    return plan


def _report(found: Inputs, as_of: dt.date, collector: Collector, jobs: list[Job], infos: dict[str, FileInfo],
            review_files: dict[str, tuple[list[Diagnostic], Document | None, bool]], reviews: records.Reviews,
            plan: Plan, editions: Corpus, outcomes: dict[str, tuple[list[Diagnostic], ListOutcome]],
            duplicates: dict[str, Diagnostic], registry_doc: Document | None) -> CheckReport:
    """The findings in the order a check of the whole catalogue makes them, each list's outcome, and
    the files messages may quote."""
    reported = found.reported
    quotable: dict[str, Path] = {}
    documents: dict[str, Document] = {registry_doc.name: registry_doc} if registry_doc else {}
    invalid = []
    for path, name in jobs:  # each file's own findings, in file order
        if name in review_files:
            own, doc, quote = review_files[name]
            if doc is not None:
                documents[name] = doc
        else:
            info = infos[name]
            own, quote = info.found, info.quotable
            if name in reported and info.head is None:
                invalid.append(InvalidFile(name, info.raw_id))
        if quote:
            quotable[name] = path
        if name in reported:
            collector.extend(own)
    for job, _ in plan.duplicates:
        collector.add(duplicates[job[1]])
    for review in reviews.by_key.values():
        orphan = records.orphan(review, editions.editions.get(review.model.list, []))
        if orphan is not None and review.doc.name in reported:
            collector.add(orphan)
    lists = []
    for _, name in plan.checked:
        produced, outcome = outcomes[name]
        collector.extend(produced)
        lists.append(outcome)
    return CheckReport(found.root, as_of, collector, lists, invalid, QuotedFiles(quotable, documents))
