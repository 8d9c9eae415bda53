"""Diagnostics are values: a code, a place in a YAML file, and the facts needed to explain it.

Checks yield them; the collector sorts and counts them; only `formats` turns them into text.
The wording lives in `codes`, so one diagnostic can be shown in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a file; `file` is as the user named it (repo-relative where possible)."""

    file: str
    line: int = 1
    column: int = 1
    width: int = field(default=0, compare=False)  # characters to underline from `column` (0: just mark the column)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Related:
    """Another place that explains a diagnostic, such as the floor provision it concerns."""

    location: Location
    label: str
    label_en: str = ""  # the same in English; list text quoted in the label stays as written

    def text(self, lang: str = "zh") -> str:
        """The label in `lang`."""
        return self.label_en if lang == "en" and self.label_en else self.label


@dataclass(frozen=True)
class Diagnostic:
    code: str
    location: Location
    args: Mapping[str, Any] = field(default_factory=dict)
    related: tuple[Related, ...] = ()
    catalogue: str | None = None  # "id@edition" of the list it belongs to, when there is one

    def __post_init__(self) -> None:
        # The contract between checks and the views that read findings (the matrix reads
        # `floor_item`): a finding without what its code requires is a bug in qingdan.
        from compiler.codes import CODES

        missing = [a for a in CODES[self.code].required_args if a not in self.args]
        if missing:
            raise ValueError(f"{self.code} finding lacks {', '.join(missing)}")

    @property
    def severity(self) -> Severity:
        from compiler.codes import CODES

        return CODES[self.code].severity

    def message(self, lang: str = "zh") -> str:
        """The message, list text in it with control and bidi characters shown as \\uXXXX."""
        from compiler.codes import CODES
        from compiler.output.visible import visible

        return visible(CODES[self.code].render_message(self.args, lang))

    def hint(self, lang: str = "zh") -> str:
        from compiler.codes import CODES
        from compiler.output.visible import visible

        return visible(CODES[self.code].render_hint(self.args, lang))

    @property
    def show_basis(self) -> bool:
        """Whether the legal basis is printed under this finding (a property of its code)."""
        from compiler.codes import CODES

        return bool(CODES[self.code].show_basis)

    def basis(self, lang: str = "zh") -> str:
        from compiler.codes import CODES

        return CODES[self.code].render_basis(self.args, lang)

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.code)


@dataclass(frozen=True)
class Totals:
    """The counts every report prints: findings answered by a declared deviation are counted
    apart from the warnings, since each awaits the reviewer's decision."""

    errors: int
    warnings: int
    deviations: int
    infos: int
    accepted_deviations: int = 0  # deviations the reviewer accepted (review records): counted apart from the infos


def totals(diagnostics: Iterable[Diagnostic]) -> Totals:
    """The counts of `diagnostics`, by severity, with pending deviations apart (their code's matrix class)."""
    from compiler.codes import CODES, MatrixClass

    errors = warnings = deviations = infos = accepted = 0
    for d in diagnostics:
        if CODES[d.code].matrix is MatrixClass.deviation:
            deviations += 1
        elif CODES[d.code].matrix is MatrixClass.accepted:
            accepted += 1
        elif d.severity is Severity.ERROR:
            errors += 1
        elif d.severity is Severity.WARNING:
            warnings += 1
        else:
            infos += 1
    return Totals(errors, warnings, deviations, infos, accepted)


class Collector:
    """Gathers diagnostics from every stage, then hands them out sorted and deduplicated."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._seen: set[tuple] = set()
        self._by_list: dict[Severity, dict[str | None, list[Diagnostic]]] = {}  # `of`'s index, until the next add

    def add(self, diagnostic: Diagnostic) -> None:
        key = (diagnostic.code, diagnostic.location, tuple(sorted((k, str(v)) for k, v in diagnostic.args.items())))
        if key not in self._seen:
            self._seen.add(key)
            self._items.append(diagnostic)
            self._by_list.clear()

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    def sorted(self, min_severity: Severity = Severity.INFO) -> list[Diagnostic]:
        return sorted((d for d in self._items if d.severity >= min_severity), key=Diagnostic.sort_key)

    def of(self, catalogue: str | None, min_severity: Severity = Severity.INFO) -> list[Diagnostic]:
        """`sorted` narrowed to the findings about one list (its `catalogue` key). The whole collection
        is sorted and grouped once for every list asked about: a catalogue of thousands of lists asks
        for each one's findings, and sorting everything per list was quadratic."""
        if (index := self._by_list.get(min_severity)) is None:
            index = self._by_list[min_severity] = {}
            for d in self.sorted(min_severity):
                index.setdefault(d.catalogue, []).append(d)
        return list(index.get(catalogue, ()))

    def totals(self) -> Totals:
        """The counts every report prints (text, JSON, SARIF, the reviewers' report)."""
        return totals(self._items)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self._items if d.severity == severity)

    def count_code(self, code: str) -> int:
        return sum(1 for d in self._items if d.code == code)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)
