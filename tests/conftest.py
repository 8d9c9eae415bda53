"""Shared fixtures: the bundled catalogue, temporary copies of it, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue"
AS_OF = dt.date(2026, 11, 29)

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled catalogue that a test may edit."""
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, target)
    return target


@pytest.fixture
def run_check(capsys, monkeypatch):
    """Run `qingdan check --format json` in-process; returns (exit code, parsed JSON)."""
    from compiler.cli import main

    def run(*paths: Path, as_of: dt.date = AS_OF, cwd: Path | None = None) -> tuple[int, dict]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(["check", *map(str, paths), "--as-of", as_of.isoformat(), "--format", "json"])
        out = capsys.readouterr().out
        return code, json.loads(out)

    return run
