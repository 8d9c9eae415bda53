"""`check FILE…` in a large catalogue: read the files asked about, their floor chains and the
registry, and learn the rest of the catalogue from the index of the document store.

The result is the one a check of the whole catalogue reports for those files: the same floors
(the first file in file order holding a key, as `Corpus.by_key` picks), the same editions and
ids known (from the index), and the same duplicate-edition finding when another file holds the
same id and edition first. Files the index does not know at their current content are loaded
once (in forked workers when there are many) and remembered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compiler.checks import findings_cache, pipeline
from compiler.checks.findings_cache import Findings, FindingsCache
from compiler.checks.pipeline import CheckResult, InvalidFile, ListResult
from compiler.diagnostics import Collector
from compiler.domain.corpus import Corpus, Departments, ListEntry
from compiler.source.document_store import DocumentStore, Head, Index, Loaded, read, validated
from compiler.source.inputs import REGISTRY_FILE, Inputs, _absolute, display_name

Job = tuple[Path, str]


def check_some(found: Inputs, as_of: dt.date, store: DocumentStore) -> CheckResult:
    """The check of `found.reported`, reading only what their result depends on."""
    root, reported = found.root, found.reported
    registry_path = _absolute(root / REGISTRY_FILE)
    jobs = [(path, display_name(path)) for path in found.files if _absolute(path) != registry_path]
    index = store.index(root)
    digests = {name: index.digest(path, name) for path, name in jobs}
    loaded = _learn(jobs, digests, index, store)
    store.save_index(root, index)
    heads = {name: index.head(name, digests[name])[1] for _, name in jobs}

    first: dict[tuple[str, int], str] = {}
    for _, name in jobs:
        if (h := heads[name]) is not None:
            first.setdefault((h.id, h.edition), name)
    needed = set(reported)
    for name in reported:
        if (h := heads.get(name)) is not None:
            needed.add(first[(h.id, h.edition)])  # the list a duplicate edition is reported against
            needed |= _chain(h, heads, first)

    collector = Collector()
    registry_doc, registry = pipeline._load_registry(root, collector)
    documents = {registry_doc.name: registry_doc} if registry_doc else {}
    entries: list[ListEntry] = []
    invalid: list[InvalidFile] = []
    for path, name in jobs:
        if name not in needed:
            continue
        one = loaded.get(name) or store.get(path, name, digests[name]) or _read_and_keep(path, name, digests[name], store)
        if one.lines is not None:
            documents[name] = one.lines
        if one.doc is not None:
            documents[name] = one.doc
        if name in reported:
            collector.extend(one.found)
        if one.model is None:
            if name in reported:
                raw = one.doc.data.get("id") if one.doc is not None and isinstance(one.doc.data, dict) else None
                invalid.append(InvalidFile(name, raw if isinstance(raw, str) and raw.isprintable() else None))
        else:
            assert one.doc is not None
            entries.append(ListEntry(one.doc, one.model))
    catalogue = [(h.id, h.edition, h.draft) for _, name in jobs if (h := heads[name]) is not None]
    corpus = Corpus(entries, Departments.from_model(registry_doc, registry), catalogue=catalogue)
    result = CheckResult(root, corpus, collector, as_of, invalid=invalid, documents=documents)
    registry_state = f"{display_name(root / REGISTRY_FILE)}\0{index.digest(root / REGISTRY_FILE, REGISTRY_FILE)}"
    return _finish(result, reported, FindingsCache(store.root), digests, registry_state)


def _finish(result: CheckResult, reported: set[str], findings: FindingsCache, digests: dict[str, str | None],
            registry: str | None) -> CheckResult:
    """`pipeline.finish`, taking each list's findings from the cache where nothing they depend on changed."""
    corpus, collector = result.corpus, result.diagnostics
    pipeline._report_duplicates(corpus, collector, reported)
    for entry in corpus.lists:
        if entry.doc.name not in reported or corpus.by_key[(entry.model.id, entry.model.edition)] is not entry:
            continue
        k = findings_cache.key(entry, corpus, digests, registry, result.as_of.isoformat(), result.root)
        hit = findings.get(k)
        if hit is None:
            produced, summary = pipeline.check_list(entry, corpus, result.as_of)
            findings.put(k, Findings(produced, summary.compliant, summary.deadlines, summary.errors, summary.warnings,
                                     summary.deviations))
        else:
            produced = hit.produced
            summary = ListResult(entry, hit.compliant, hit.deadlines, hit.errors, hit.warnings, hit.deviations,
                                 floor=corpus.usable_floor(entry))
        collector.extend(produced)
        result.lists.append(summary)
    return result


def _chain(head: Head, heads: dict[str, Head | None], first: dict[tuple[str, int], str]) -> set[str]:
    """The files of `head`'s floor chain, as `Corpus.chain` walks it (stopping at a cycle or an unknown floor)."""
    names: set[str] = set()
    key = head.floor
    while key is not None and key in first and first[key] not in names:
        names.add(first[key])
        nxt = heads[first[key]]
        key = nxt.floor if nxt is not None else None
    return names


def _read_and_keep(path: Path, name: str, digest: str | None, store: DocumentStore) -> Loaded:
    one = read(path, name)
    store.put(path, name, digest, one)
    return one


def _learn(jobs: list[Job], digests: dict[str, str | None], index: Index, store: DocumentStore) -> dict[str, Loaded]:
    """Index every file the index does not know at its current content; returns those just loaded."""
    todo = [(path, name) for path, name in jobs if not index.head(name, digests[name])[0]]
    loaded: dict[str, Loaded] = {}
    for path, name in todo:  # stored documents first: a cleared index need not parse again
        if (one := store.get(path, name, digests[name])) is not None:
            loaded[name] = one
    parse = [job for job in todo if job[1] not in loaded]
    with pipeline.collector_paused(len(parse)):
        for (path, name), (doc, found) in zip(parse, pipeline._load_all(parse)):
            loaded[name] = one = validated(doc, found, path, name)
            store.put(path, name, digests[name], one)
    for path, name in todo:
        index.record(path, name, digests[name], loaded[name].head)
    return loaded
