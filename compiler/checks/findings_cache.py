"""Each list's findings kept by what they depend on, so an edit re-checks only the lists it touches.

A list's findings depend on: its own file; the files of its floor chain (the floor's wording, its
covers, a cycle); the departments registry; the day checked as of; the review records of the
lists of its chain (files under `reviews/` whose names start with their ids); what the rest of
the catalogue says about the ids involved (the editions and drafts of the list's own id and of
its floor's id, and, when its floor names an unknown list, every id known); and qingdan's own
code. The key is a hash of all of these, with each file's name, since findings name their
files; it is computed from the catalogue's index, without loading any list. A hit gives the
findings and the list's outcome as the reports print it.
"""

from __future__ import annotations

import errno
import hashlib
from dataclasses import dataclass
from pathlib import Path

from compiler.diagnostics import Diagnostic
from compiler.domain.corpus import Corpus
from compiler.output.pickle_store import PickleStore
from compiler.output.report import ListOutcome
from compiler.publish.render.cache import code_digest
from compiler.review.records import Reviews
from compiler.source import boundary
from compiler.source.catalogue_index import chain_of, content_state, head_of
from compiler.source.inputs import REGISTRY_FILE, display_name

REVIEWS = "reviews"  # review records of a list edition: reviews/<id>@<edition>.yaml


@dataclass
class Findings:
    """What checking one list produced: its findings and its outcome."""

    produced: list[Diagnostic]
    outcome: ListOutcome


class ReviewRecords:
    """The review record files of a catalogue (under `reviews/`), listed and hashed once per check."""

    def __init__(self, root: Path) -> None:
        folder = root / REVIEWS
        try:
            found = sorted(p for p in folder.rglob("*") if p.is_file())
        except OSError:
            found = []
        self.files: list[tuple[str, str]] = []  # (file name, "relative path\0digest")
        for p in found:
            try:
                if boundary.outside(p):
                    raise OSError(errno.EACCES, "outside the catalogue")  # never opened, not even to be hashed
                state = hashlib.sha256(p.read_bytes()).hexdigest()
            except OSError as exc:
                state = f"unreadable {exc.errno}"
            self.files.append((p.name, f"{p.relative_to(folder).as_posix()}\0{state}"))

    def of(self, list_id: str) -> list[str]:
        """The records whose file names start with `list_id`, in order: names and content digests."""
        return [record for name, record in self.files if name.startswith(list_id)]


def applied(reviews: Reviews, editions: list[str]) -> list[str]:
    """The review records a check applies to `editions` ("id@edition", the list and its chain), each by
    its file's name and content: a record applies by the list it names, whatever its file is called."""
    found = []
    for edition in editions:
        entry = reviews.get(edition)
        text = "\n".join(entry.doc.lines) if entry is not None else ""
        found.append(f"{edition}\0{entry.doc.name}\0{hashlib.sha256(text.encode('utf-8', 'surrogateescape')).hexdigest()}"
                     if entry is not None else f"{edition}\0none")
    return found


def key(chain: list[tuple[str, str, str | None]], floor_id: str | None, corpus: Corpus, registry: str | None,
        as_of: str, reviews: ReviewRecords, records: list[str]) -> str:
    """Everything the findings of a list depend on, hashed.

    `chain`: (id, file name, content digest) of the list and of each floor up its chain, as the
    check walks it; `corpus` knows the catalogue's editions (it need hold no list); `records`: the
    review records applied to them (`applied`)."""
    h = hashlib.sha256()

    def part(value: object) -> None:
        h.update(str(value).encode("utf-8", "surrogateescape") + b"\0")

    part(code_digest())
    part(as_of)
    part(registry)
    for _, name, digest in chain:
        part(f"{name}\0{digest}")
    own = chain[0][0]
    for list_id in dict.fromkeys((own, *((floor_id,) if floor_id is not None else ()))):
        part(f"{list_id}\0{corpus.editions.get(list_id)}\0{corpus.newest_edition(list_id)}")
    if floor_id is not None and floor_id not in corpus.editions:
        part(sorted(corpus.editions))  # the message names every id known
    for list_id in dict.fromkeys(member[0] for member in chain):
        for record in reviews.of(list_id):
            part(record)
    for record in records:
        part(record)
    return h.hexdigest()


def registry_state(root: Path, digest: str | None = None) -> str:
    """The registry's part of every key: its name and content digest (`digest`, where known)."""
    path = root / REGISTRY_FILE
    return f"{display_name(path)}\0{digest if digest is not None else content_state(path)}"


def corpus_keys(corpus: Corpus, digests: dict[str, str | None], registry: str, as_of: str,
                reviews: ReviewRecords, records: Reviews) -> dict[str, str]:
    """The key of each list of a loaded `corpus` that holds its edition first, by file name.

    These are the keys `check_catalogue` computes from the catalogue's index, here from the
    lists' models and the digests of their bytes (`digests`, by file name), so that `build` and
    `check` keep and find each other's findings.
    """
    heads = {e.doc.name: head_of(e.model) for e in corpus.lists}
    first: dict[tuple[str, int], str] = {}
    for name, h in heads.items():  # file order: the first holder of an edition is the one checked
        first.setdefault((h.id, h.edition), name)
    keys = {}
    for name, h in heads.items():
        if first[(h.id, h.edition)] == name:
            members = [name, *chain_of(h, heads, first)]  # type: ignore[arg-type]
            chain = [(heads[n].id, n, digests.get(n)) for n in members]
            used = applied(records, [f"{heads[n].id}@{heads[n].edition}" for n in members])
            keys[name] = key(chain, h.floor[0] if h.floor else None, corpus, registry, as_of, reviews, used)
    return keys


class FindingsCache(PickleStore[Findings]):
    """Findings by key under the cache folder's `check/store/findings`; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder / "check" / "store" / "findings" if folder is not None else None, Findings)
