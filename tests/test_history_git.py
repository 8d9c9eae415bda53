"""A list's previous edition is looked for in git only where git could find a repository: in one,
the page's and the report's history come from the commit; outside any, git is not started at all."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import AS_OF, CATALOGUE

from compiler.checks import pipeline
from compiler.review import history


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=qingdan", "-c", "user.email=qingdan@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def _entry(result: pipeline.CheckResult, list_id: str):
    return next(e for e in result.corpus.lists if e.model.id == list_id)


def _second_edition(catalogue: Path) -> None:
    city = catalogue / "cities" / "xiamen.yaml"
    city.write_text(re.sub(r"^edition: 1$", "edition: 2", city.read_text(encoding="utf-8"), count=1, flags=re.M),
                    encoding="utf-8")


def test_in_a_repository_the_previous_edition_comes_from_git(tmp_path):
    """Edition 1 committed, edition 2 in the working tree: the previous edition is the commit's."""
    catalogue = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, catalogue)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "edition 1")
    _second_edition(catalogue)
    result = pipeline.check([catalogue], AS_OF)
    found = history.previous(result, _entry(result, "xiamen"))
    assert found is not None and found[0].model.edition == 1 and len(found[1]) == 10


def test_outside_any_repository_git_is_not_started(tmp_path, monkeypatch):
    """No .git above the catalogue and no GIT_DIR: no list's history starts git."""
    if any((above / ".git").exists() for above in tmp_path.parents):
        return  # the temporary folder is inside a repository on this machine: nothing to show
    catalogue = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, catalogue)
    _second_edition(catalogue)
    result = pipeline.check([catalogue], AS_OF)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)

    def started(*args, **kwargs):
        raise AssertionError(f"git started: {args}")

    monkeypatch.setattr(history.subprocess, "run", started)
    assert all(history.previous(result, e) is None for e in result.corpus.lists)
