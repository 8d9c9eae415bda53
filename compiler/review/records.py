"""Review records on disk: where they live, how a list's content is digested, which list each concerns.

A review record is `reviews/<list-id>@<edition>.yaml` below the catalogue folder. It is loaded
by the same loader as the lists (so its findings have file:line:column) and validated against
`compiler.models.review.Review`; it is never mistaken for a list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.domain.corpus import ListEntry
from compiler.models.review import Review
from compiler.source.inputs import as_posix
from compiler.source.loader import Document
from compiler.source.validate import validate

FOLDER = "reviews"


def in_review_folder(root: Path) -> Callable[[Path], bool]:
    """`is_review_file` for many files of one catalogue: the same test, by text."""
    folder = str(Path(root).absolute() / FOLDER) + os.sep
    cwd = os.getcwd()

    def test(path: Path) -> bool:  # Path.absolute() by text: a national catalogue asks it of thousands
        text = as_posix(os.fspath(path))
        absolute = cwd if text == "." else text if os.path.isabs(text) else os.path.join(cwd, text)
        return absolute.startswith(folder)

    return test


def is_review_file(path: Path, root: Path) -> bool:
    """Whether `path` is a review record of the catalogue at `root` (it lies in its reviews/ folder)."""
    try:
        rel = Path(path).absolute().relative_to(Path(root).absolute())
    except ValueError:
        return False
    return len(rel.parts) >= 2 and rel.parts[0] == FOLDER


def file_name(list_id: str, edition: int) -> str:
    """The review record's file name for one edition of one list."""
    return f"{list_id}@{edition}.yaml"


def path_for(root: Path, list_id: str, edition: int) -> Path:
    """Where the review record of `list_id@edition` lives in the catalogue at `root`."""
    return Path(root) / FOLDER / file_name(list_id, edition)


def digest(data: Any) -> str:
    """The list's content as sha256 of its canonical JSON: comments and layout do not count, every value does."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


@dataclass
class ReviewEntry:
    """One validated review record with the document it came from."""

    doc: Document
    model: Review

    @property
    def key(self) -> str:
        return self.model.key


@dataclass
class Reviews:
    """Every valid review record of a catalogue, by the list edition it concerns."""

    by_key: dict[str, ReviewEntry] = field(default_factory=dict)

    def get(self, key: str) -> ReviewEntry | None:
        return self.by_key.get(key)

    def add(self, entry: ReviewEntry) -> Diagnostic | None:
        """Index `entry`; a second record of the same edition is reported, not used."""
        first = self.by_key.setdefault(entry.key, entry)
        if first is entry:
            return None
        expected = file_name(entry.model.list, entry.model.edition)
        if Path(entry.doc.name).name == expected:  # the properly named file is the record; the other is the copy
            self.by_key[entry.key], first, entry = entry, entry, first
        return Diagnostic("QD804", entry.doc.at(("list",)), {
            "key": entry.key, "found": f"{first.doc.name} 已是它的审核记录，本文件不予采用",
            "found_en": f"{first.doc.name} is already its review; this file is not used",
            "expected": expected}, catalogue=entry.key)


def admit(reviews: Reviews, doc: Document) -> list[Diagnostic]:
    """Validate the review record `doc` and index it in `reviews`: its problems, and a second
    record of the same edition reported."""
    review, problems = validate(doc, Review)
    if review is not None and (duplicate := reviews.add(ReviewEntry(doc, review))):
        problems.append(duplicate)
    return problems


def orphan(entry: ReviewEntry, editions: list[int]) -> Diagnostic | None:
    """QD804 when the record's list edition is not in the catalogue, or its file is misnamed."""
    m = entry.model
    expected = file_name(m.list, m.edition)
    if m.edition not in editions:
        found = (f"目录中清单 {m.list} 只有第 {'、'.join(map(str, editions))} 版" if editions
                 else f"目录中没有清单 {m.list}")
        found_en = (f"the catalogue holds edition(s) {', '.join(map(str, editions))} of {m.list}" if editions
                    else f"the catalogue has no list {m.list}")
        return Diagnostic("QD804", entry.doc.at(("edition",) if editions else ("list",)),
                          {"key": m.key, "found": found, "found_en": found_en, "expected": expected}, catalogue=m.key)
    if Path(entry.doc.name).name != expected:
        return Diagnostic("QD804", entry.doc.at(("list",)), {
            "key": m.key, "found": f"但文件名是 {Path(entry.doc.name).name}",
            "found_en": f"but the file is named {Path(entry.doc.name).name}", "expected": expected}, catalogue=m.key)
    return None


def with_receipt(entry: ListEntry, review: ReviewEntry | None) -> ListEntry:
    """The list as the province has it: the receipt date, where recorded, is the date it was filed."""
    received = review.model.received if review is not None else None
    if received is None or received == entry.model.filed:
        return entry
    return ListEntry(entry.doc, entry.model.model_copy(update={"filed": received}))
