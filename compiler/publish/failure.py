"""A list that could not be published, and how the output's marker records it (no heavy imports:
the up-to-date test reads it before anything else is loaded)."""

from __future__ import annotations

from dataclasses import dataclass

_MARK = "left-out"


@dataclass(frozen=True)
class Failure:
    """A list that could not be published, and why."""

    name: str  # its file, as messages name it
    reason: str
    reason_en: str

    def text(self, lang: str = "zh") -> str:
        return self.reason_en if lang == "en" else self.reason

    def marker_line(self) -> str:
        """One line of the output's marker (tabs and newlines cannot occur in it)."""
        return "\t".join((_MARK, *(" ".join(part.split()) for part in (self.name, self.reason, self.reason_en))))


def read_marker(lines: list[str]) -> list[Failure]:
    """The failures a marker written by `marker_line` records."""
    found = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] == _MARK:
            found.append(Failure(*parts[1:]))
    return found
