"""Failures of the tool itself (not findings about a list): only the CLI turns them into exit codes.

Each failure carries its message in Chinese (`str(exc)`, the default) and in English, because it
is raised deep inside a command that does not know the language the user chose; the CLI picks
one with `text(lang)`.
"""

from __future__ import annotations


class QingdanError(Exception):
    """Root of every failure that stops a command."""

    exit_code = 2

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.en = en

    def text(self, lang: str = "zh") -> str:
        """The message in `lang` ("zh" or "en"); Chinese where no English was given."""
        return self.en if lang == "en" and self.en else self.message


class UsageError(QingdanError):
    """The command line asks for something impossible (bad date, missing path...)."""


class InputError(QingdanError):
    """An input could not be read at all (not a finding inside a file)."""


class OutputError(QingdanError):
    """An output file could not be written (disk full, read-only, no permission, path too long);
    the previous file, if any, is left as it was."""


class BuildError(QingdanError):
    """Publishing failed; the previous output is left as it was."""
