"""Each list's findings kept by what they depend on, so an edit re-checks only the lists it touches.

A list's findings depend on: its own file; the files of its floor chain (the floor's wording, its
covers, a cycle); the departments registry; the day checked as of; the review records of the list
(files under `reviews/` whose names start with the list's id); what the rest of the catalogue
says about the ids involved (the editions and drafts of the list's own id and of its floor's id,
and, when its floor names an unknown list, every id known); and qingdan's own code. The key is a
hash of all of these, with each file's name, since findings name their files. A hit gives the
findings and the summary line's figures; the floor match is not kept (`ListResult.match` is
None for such a list, which only `check`'s output reads).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from compiler.diagnostics import Diagnostic
from compiler.domain.corpus import Corpus, ListEntry
from compiler.domain.deadlines import Deadlines
from compiler.output.atomic import write_bytes
from compiler.publish.render.cache import code_digest

REVIEWS = "reviews"  # review records of a list edition: reviews/<id>@<edition>.yaml


@dataclass
class Findings:
    """What checking one list produced, as its summary line and the reports need it."""

    produced: list[Diagnostic]
    compliant: bool
    deadlines: Deadlines
    errors: int
    warnings: int
    deviations: int


def review_files(root: Path, list_id: str) -> list[str]:
    """The review records of `list_id`: names and content digests, in order."""
    folder = root / REVIEWS
    try:
        found = sorted(p for p in folder.rglob("*") if p.name.startswith(list_id) and p.is_file())
    except OSError:
        return []
    out = []
    for p in found:
        try:
            out.append(f"{p.relative_to(folder).as_posix()}\0{hashlib.sha256(p.read_bytes()).hexdigest()}")
        except OSError as exc:
            out.append(f"{p.relative_to(folder).as_posix()}\0unreadable {exc.errno}")
    return out


def key(entry: ListEntry, corpus: Corpus, digests: dict[str, str | None], registry: str | None, as_of: str,
        root: Path) -> str:
    """Everything the findings of `entry` depend on, hashed."""
    h = hashlib.sha256()

    def part(value: object) -> None:
        h.update(str(value).encode("utf-8", "surrogateescape") + b"\0")

    part(code_digest())
    part(as_of)
    part(registry)
    for member in corpus.chain(entry):  # the list first, then its floors, up to a cycle or an unknown floor
        part(f"{member.doc.name}\0{digests.get(member.doc.name)}")
    for list_id in {entry.model.id, *((entry.model.floor.list,) if entry.model.floor else ())}:
        part(f"{list_id}\0{corpus.editions.get(list_id)}\0{corpus.newest_edition(list_id)}")
    if entry.model.floor is not None and entry.model.floor.list not in corpus.editions:
        part(sorted(corpus.editions))  # the message names every id known
    for record in review_files(root, entry.model.id):
        part(record)
    return h.hexdigest()


class FindingsCache:
    """Findings by key under one folder; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "check" / "store" / "findings" if folder is not None else None

    def get(self, k: str) -> Findings | None:
        if self.folder is None:
            return None
        try:
            found = pickle.loads((self.folder / k[:2] / k).read_bytes())
        except Exception:  # noqa: BLE001 - absent, damaged or from another version: check again
            return None
        return found if isinstance(found, Findings) else None

    def put(self, k: str, findings: Findings) -> None:
        if self.folder is None:
            return
        path = self.folder / k[:2] / k
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except OSError:
            pass  # a read-only or full cache folder must not fail a check
