"""Failures of the tool itself (not findings about a list): only the CLI turns them into exit codes."""

from __future__ import annotations


class QingdanError(Exception):
    """Root of every failure that stops a command."""

    exit_code = 2


class UsageError(QingdanError):
    """The command line asks for something impossible (bad date, missing path...)."""


class InputError(QingdanError):
    """An input could not be read at all (not a finding inside a file)."""


class BuildError(QingdanError):
    """Publishing failed; the previous output is left as it was."""
