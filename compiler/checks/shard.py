"""Loading, validating and checking a share of a catalogue's files, in this process or in a worker.

A shard keeps the documents and models it loads. What leaves it is small: each file's head and
findings, each checked list's findings and outcome, and, when another shard checks a list whose
floor this one holds, that floor. So a large catalogue is checked on every core without sending
its documents from process to process.
"""

from __future__ import annotations

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
from compiler.source.catalogue_index import FileInfo, Head
from compiler.source.loader import Document, load
from compiler.source.syntax_errors import QUOTED_CODES
from compiler.source.validate import validate

Job = tuple[Path, str]  # a file and its name in messages


@dataclass
class Loaded:
    """One file loaded and validated as a list."""

    doc: Document | None  # None: nothing could be parsed
    model: Catalogue | None  # None: not a valid list


def head_of(model: Catalogue) -> Head:
    return Head(model.id, model.edition, model.draft, (model.floor.list, model.floor.edition) if model.floor else None)


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
        self.strings: dict[str, str] = {}  # one copy of each text the shard's files share

    def load(self, jobs: list[Job]) -> list[tuple[str, FileInfo]]:
        out = []
        for path, name in jobs:
            self.held[name], info = read(path, name, self.strings)
            out.append((name, info))
        return out

    def give(self, names: list[str]) -> list[tuple[str, Loaded]]:
        return [(name, self.held[name]) for name in names]

    def _entry(self, job: Job) -> ListEntry:
        path, name = job
        if name not in self.held:
            self.held[name] = read(path, name, self.strings)[0]
        one = self.held[name]
        assert one.doc is not None and one.model is not None  # only valid lists are checked
        return ListEntry(one.doc, one.model)

    def check(self, task: CheckTask) -> Checked:
        """The findings and outcome of each list of `task`, against a corpus of those lists and their floors."""
        sent = dict(pickle.loads(task.floors))
        for job in task.lists:
            self._entry(job)  # loaded now where this shard did not load it before
        entries: dict[str, ListEntry] = {}
        for name in sorted(task.positions, key=task.positions.__getitem__):  # file order: the first holder wins
            one = self.held.get(name) or sent[name]
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
