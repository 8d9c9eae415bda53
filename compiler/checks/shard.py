"""Loading, validating and checking a share of a catalogue's files, in this process or in a worker.

A shard keeps the documents and models it needs. What leaves it is small: each file's head and
findings, each checked list's findings and outcome, and, when another shard checks a list whose
floor this one holds, that floor. So a large catalogue is checked on every core without sending
its documents from process to process.

A large catalogue is streamed (`Shard.stream`): the shard loads its share floors first and checks
each list as soon as its chain is loaded, then drops it unless it is a floor. Such a result was
made knowing only this shard's files, so it carries the facts it was made from (`Facts`); it
stands only if the whole catalogue says the same, and is checked again otherwise.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import pickle
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from compiler.checks import pipeline
from compiler.diagnostics import Diagnostic
from compiler.domain.corpus import Corpus, Departments, ListEntry, ListHead
from compiler.models import Catalogue
from compiler.output.report import ListOutcome
from compiler.review import records
from compiler.source import workers
from compiler.source.catalogue_index import FileInfo, Head, chain_of, head_of
from compiler.source.loader import Document, load
from compiler.source.syntax_errors import QUOTED_CODES
from compiler.source.validate import validate

Job = tuple[Path, str]  # a file and its name in messages
# What a list's findings are made from, apart from the registry, the review records and the day:
# the (name, digest) of the list and of each floor up its chain, and the (place in file order,
# id, edition, draft) of every list sharing an id with one of them or with one of their floors.
Facts = tuple[tuple[tuple[str, str | None], ...], tuple[tuple[int, str, int, bool], ...]]


@dataclass
class Loaded:
    """One file loaded and validated as a list."""

    doc: Document | None  # None: nothing could be parsed
    model: Catalogue | None  # None: not a valid list


def read(path: Path, name: str, strings: dict[str, str] | None = None) -> tuple[Loaded, FileInfo]:
    """Load and validate one file: what the shard keeps, and what it tells the rest of the check."""
    doc, found = load(path, name, strings=strings)
    found = list(found)
    model = None
    if doc is not None:
        model, problems = validate(doc, Catalogue)
        found += problems
    raw = doc.data.get("id") if doc is not None and isinstance(doc.data, dict) else None
    info = FileInfo(head_of(model) if model is not None else None, found,
                    raw if isinstance(raw, str) and raw.isprintable() else None,  # a NUL in an id is not printed
                    doc is not None or any(d.code in QUOTED_CODES for d in found))
    return Loaded(doc, model), info


def facts_of(members: list[str], heads: dict[str, Head | None], digests: dict[str, str | None],
             by_id: dict[str, list[tuple[int, str, int, bool]]]) -> Facts:
    """The facts a list's check reads, for the list and its chain `members` (all valid lists)."""
    ids: dict[str, None] = {}
    for name in members:
        head = heads[name]
        assert head is not None
        ids[head.id] = None
        if head.floor is not None:
            ids[head.floor[0]] = None
    known = sorted(h for i in ids for h in by_id.get(i, ()))
    return tuple((name, digests.get(name)) for name in members), tuple(known)


@dataclass
class StreamTask:
    """One worker's share of a large catalogue: files in groups, loaded group by group; after each
    group, the lists in it whose chain is loaded are checked and, unless they are floors, dropped."""

    groups: list[list[Job]]
    owned: set[str]  # the files this worker reports; the others are floors it needs
    reported: set[str]
    floors: set[str]  # kept once loaded
    positions: dict[str, int]  # each file's place in file order
    digests: dict[str, str | None]


@dataclass
class Streamed:
    infos: list[tuple[str, FileInfo]] = field(default_factory=list)
    checked: dict[str, tuple[Facts, list[Diagnostic], ListOutcome]] = field(default_factory=dict)


@dataclass
class CheckTask:
    """The lists one shard checks, and what it needs of the rest of the catalogue to check them."""

    lists: list[Job]  # loaded first where the shard does not hold them
    floors: bytes  # pickled [(name, Loaded)]: the floors of those lists that other shards hold
    positions: dict[str, int]  # each file's place in file order (the first holder of an edition wins)
    catalogue: list[ListHead]  # every valid list's id, edition and draft, in file order
    duplicates: list[tuple[Job, str]]  # a file repeating an edition, and the name of the file holding it first


@dataclass
class Checked:
    lists: dict[str, tuple[list[Diagnostic], ListOutcome]] = field(default_factory=dict)
    duplicates: dict[str, Diagnostic] = field(default_factory=dict)


class Shard:
    """Files loaded and kept by one process, and the checks of the lists among them."""

    def __init__(self, departments: Departments, reviews: records.Reviews, as_of: dt.date) -> None:
        self.departments, self.reviews, self.as_of = departments, reviews, as_of
        self.held: dict[str, Loaded] = {}
        self.paths: dict[str, Path] = {}  # every file this shard has loaded, held or dropped since
        self.strings: dict[str, str] = {}  # one copy of each text the shard's files share

    def load(self, jobs: list[Job]) -> list[tuple[str, FileInfo]]:
        out = []
        for path, name in jobs:
            self.held[name], info = read(path, name, self.strings)
            self.paths[name] = path
            out.append((name, info))
        return out

    def _held(self, name: str) -> Loaded:
        """A file this shard loaded, read again if it was dropped."""
        if name not in self.held:
            self.held[name] = read(self.paths[name], name, self.strings)[0]
        return self.held[name]

    def give(self, names: list[str]) -> list[tuple[str, Loaded]]:
        return [(name, self._held(name)) for name in names]

    def _entry(self, job: Job) -> ListEntry:
        self.paths.setdefault(job[1], job[0])
        one = self._held(job[1])
        assert one.doc is not None and one.model is not None  # only valid lists are checked
        return ListEntry(one.doc, one.model)

    def stream(self, task: StreamTask) -> Streamed:
        """Load `task`'s files and check, as soon as their chains are loaded, the reported lists among
        them, keeping only floors: memory holds the floors and one group, not the whole share."""
        out = Streamed()
        heads: dict[str, Head | None] = {}
        first: dict[tuple[str, int], str] = {}
        by_id: dict[str, list[tuple[int, str, int, bool]]] = {}
        pos = task.positions
        for group in task.groups:
            for path, name in group:
                kept = name in task.floors
                loaded, info = read(path, name, self.strings if kept else None)
                self.paths[name] = path
                if name in task.owned:
                    out.infos.append((name, info))
                heads[name] = head = info.head
                if head is None:
                    continue
                self.held[name] = loaded
                bisect.insort(by_id.setdefault(head.id, []), (pos[name], head.id, head.edition, head.draft))
                holder = first.get((head.id, head.edition))
                if holder is None or pos[name] < pos[holder]:
                    first[(head.id, head.edition)] = name
            for _, name in group:
                head = heads[name]
                if head is not None and name in task.owned and name in task.reported and first[(head.id, head.edition)] == name \
                        and (head.floor is None or head.floor in first):
                    members = [name, *chain_of(head, heads, first)]
                    facts = facts_of(members, heads, task.digests, by_id)
                    out.checked[name] = (facts, *self._check_one(members, facts, pos))
            for _, name in group:
                if name not in task.floors:
                    self.held.pop(name, None)
        return out

    def _check_one(self, members: list[str], facts: Facts, pos: dict[str, int]) -> tuple[list[Diagnostic], ListOutcome]:
        """Check `members[0]` against a corpus of exactly its chain and the editions in `facts`."""
        entries: dict[str, ListEntry] = {}
        for name in sorted(set(members), key=pos.__getitem__):  # file order, as the whole check has them
            one = self.held[name]
            assert one.doc is not None and one.model is not None  # members are valid lists
            entries[name] = records.with_receipt(ListEntry(one.doc, one.model), self.reviews.get(one.model.key))
        corpus = Corpus(list(entries.values()), self.departments, catalogue=[(i, e, d) for _, i, e, d in facts[1]])
        entry = entries[members[0]]
        produced, summary = pipeline.check_list(entry, corpus, self.as_of, self.reviews.get(entry.key))
        return produced, summary.outcome()

    def check(self, task: CheckTask) -> Checked:
        """The findings and outcome of each list of `task`, against a corpus of those lists and their floors."""
        sent = dict(pickle.loads(task.floors))
        for job in task.lists:
            self._entry(job)  # loaded now where this shard did not load it before
        entries: dict[str, ListEntry] = {}
        for name in sorted(task.positions, key=task.positions.__getitem__):  # file order: the first holder wins
            one = sent[name] if name in sent else self._held(name)
            assert one.doc is not None and one.model is not None  # lists and floors are valid lists
            entries[name] = records.with_receipt(ListEntry(one.doc, one.model), self.reviews.get(one.model.key))
        corpus = Corpus(list(entries.values()), self.departments, catalogue=task.catalogue)
        done = Checked()
        for _, name in task.lists:
            entry = entries[name]
            produced, summary = pipeline.check_list(entry, corpus, self.as_of, self.reviews.get(entry.key))
            done.lists[name] = (produced, summary.outcome())
        for job, first in task.duplicates:
            entry = self._entry(job)
            done.duplicates[job[1]] = Diagnostic(
                "QD206", entry.doc.at(("edition",)),
                {"list": entry.model.id, "edition": entry.model.edition, "other": first}, catalogue=entry.key)
        return done


def serve(conn: Connection, shard: Shard) -> None:
    """A worker's loop: answer the parent's requests on `conn` until it says stop or goes away."""
    workers.init()
    gc.disable()  # millions of long-lived objects and no cycles: the collector's passes would cost more than the work
    while True:
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return
        if kind == "stop":
            return
        try:
            conn.send(("ok", getattr(shard, kind)(payload)))
        except BaseException:  # noqa: BLE001 - the parent reports it; a worker must not die silently
            conn.send(("error", traceback.format_exc()))
