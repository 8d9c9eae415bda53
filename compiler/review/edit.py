"""Writing review records: a receipt, a decision, a comment, a conclusion, through the YAML round trip.

A reviewer need not hand-write YAML, and a record written by hand keeps its comments and layout:
each edit loads the file's round-trip tree (`compiler.authoring.roundtrip`), changes or appends
what it must, and writes it back in the file's own framing (BOM, line ends). Everything else in
the file stays byte for byte as it was; `changed_only` proves it before anything is written.
A missing record is created with a short header.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from compiler.authoring import roundtrip
from compiler.errors import InputError, UsageError
from compiler.models.review import Decision, Outcome, Verdict
from compiler.output.atomic import write_bytes
from compiler.review.records import file_name

HEADER = ("# yaml-language-server: $schema=../../schema/review.schema.json\n"
          "# 省民政厅对清单 {key} 的审核记录：由 qingdan review 写入，也可手工编辑（格式见 README“审核人员”）。\n")


@dataclass(frozen=True)
class Edit:
    """One change to a review record: top-level fields to set and list entries to append."""

    set: dict[str, Any]
    append: dict[str, dict[str, Any]]  # decisions / comments: one new entry each
    replace_decision: bool = False  # a new decision on the same deviation takes the place of the old one


def new_text(list_id: str, edition: int) -> str:
    """The text of a record that does not exist yet."""
    return HEADER.format(key=f"{list_id}@{edition}") + f"list: {list_id}\nedition: {edition}\n"


def receipt(received: dt.date, number: str | None, late_reason: str | None) -> Edit:
    """Record when the filing was received, its 备案 number and the reason for lateness."""
    values: dict[str, Any] = {"received": received}
    if number:
        values["filing_number"] = number
    if late_reason:
        values["late_reason"] = late_reason
    return Edit(values, {})


def decision(where: str, check: str, verdict: Verdict, reviewer: str, on: dt.date, reason: str) -> Edit:
    """Record a decision on one declared deviation (a later one on the same deviation replaces it)."""
    entry = {"where": where, "check": check, "decision": verdict.value, "reviewer": reviewer, "date": on,
             "reason": reason}
    Decision.model_validate(entry)  # a bad check name is a usage error here, not a finding later
    return Edit({}, {"decisions": entry}, replace_decision=True)


def comment(where: str, text: str, reviewer: str, on: dt.date) -> Edit:
    """Record a comment on an item or provision."""
    return Edit({}, {"comments": {"where": where, "text": text, "reviewer": reviewer, "date": on}})


def conclusion(outcome: Outcome, reviewer: str, on: dt.date, corrections: list[str], digest: str) -> Edit:
    """Record the conclusion, with the digest of the list as it is now."""
    value: dict[str, Any] = {"outcome": outcome.value, "reviewer": reviewer, "date": on}
    if corrections:
        value["corrections"] = list(corrections)
    value["digest"] = digest
    return Edit({"conclusion": value}, {})


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _node(v)
        return node
    if isinstance(value, list):
        return CommentedSeq(_node(v) for v in value)
    return value


def edited(text: str, edit: Edit) -> str:
    """`text` with `edit` applied; raises InputError when the round trip cannot keep the file as it is."""
    loaded = roundtrip.load(text)
    if loaded is None:
        raise InputError("审核记录的缩进方式无法原样保留，未写入；请手工编辑，或统一为两格缩进",
                         en="the review record's indentation cannot be kept as it is; nothing written. "
                            "Edit it by hand, or indent it by two spaces")
    y, data = loaded
    if not isinstance(data, CommentedMap):
        raise InputError("审核记录不是字段映射，未写入", en="the review record is not a mapping; nothing written")
    for key, value in edit.set.items():
        data[key] = _node(value)
    for key, entry in edit.append.items():
        seq = data.get(key)
        if not isinstance(seq, CommentedSeq):
            seq = data[key] = CommentedSeq()
        if edit.replace_decision:
            for k in [k for k, old in enumerate(seq)
                      if isinstance(old, dict) and (old.get("where"), old.get("check")) == (entry["where"], entry["check"])]:
                del seq[k]
        seq.append(_node(entry))
    return roundtrip.dump(y, data)


def changed_only(old: str, new: str, keys: set[str]) -> bool:
    """Whether every line of `old` outside the top-level fields `keys` is still in `new`, in order."""
    kept = _outside(old.rstrip("\n").split("\n"), keys)
    return kept == _outside(new.rstrip("\n").split("\n"), keys)


def _outside(lines: list[str], keys: set[str]) -> list[str]:
    """The lines that do not belong to one of the top-level fields `keys`."""
    out, inside = [], False
    for line in lines:
        top = line[:1] not in (" ", "#", "-", "") and ":" in line
        if top:
            inside = line.split(":", 1)[0].strip() in keys
        if not inside:
            out.append(line)
    return out


def apply(path: Path, list_id: str, edition: int, edit: Edit) -> tuple[str, str]:
    """Apply `edit` to the record at `path` (created when absent); returns the old and new text."""
    if path.exists():
        raw = path.read_bytes()
        framing, old = roundtrip.Framing.read(raw)
    else:
        if path.name != file_name(list_id, edition):
            raise UsageError(f"审核记录应命名为 {file_name(list_id, edition)}",
                             en=f"the review record should be named {file_name(list_id, edition)}")
        framing, old = roundtrip.Framing(False, False, True), new_text(list_id, edition)
    new = edited(old, edit)
    if not changed_only(old, new, {*edit.set, *edit.append}):
        diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), n=0))
        raise InputError(f"这次修改会改动审核记录中其他的内容，未写入：\n{diff}",
                         en=f"this edit would change other parts of the review record; nothing written:\n{diff}")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, framing.encode(new))
    return old, new
