"""The lines of catalogue files that messages quote, read only when a message quotes them.

A large check reports findings in a few of its thousands of files; rather than keep every
document for the excerpts, their lines are read again from the files, decoded as the loader
decodes them, on first use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from compiler.source import boundary
from compiler.source.decoding import decode
from compiler.source.loader import Document


class QuotedFiles(Mapping[str, Document]):
    """Documents by name: those given, and the lines of `paths` read when first asked for."""

    def __init__(self, paths: Mapping[str, Path], documents: Mapping[str, Document]) -> None:
        self._paths = dict(paths)
        self._read: dict[str, Document] = dict(documents)

    def __getitem__(self, name: str) -> Document:
        found = self._read.get(name)
        if found is None:
            path = self._paths[name]  # KeyError: a file no message may quote
            try:
                if boundary.outside(path):  # replaced by a link out of the catalogue since it was checked
                    raise OSError
                text, _ = decode(path.read_bytes())
            except OSError:
                text = None  # gone since it was checked: its message is printed without its line
            found = self._read[name] = Document(path, name, (text or "").splitlines(), None)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._read), **dict.fromkeys(self._paths)})

    def __len__(self) -> int:
        return len(self._read.keys() | self._paths.keys())
