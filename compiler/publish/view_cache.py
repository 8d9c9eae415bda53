"""Each published list's view kept by everything it shows, so a rebuild after one edit makes
views only for the lists the edit touches (a national portal has 3,211 of them).

A view shows what checking the list found and what its floor chain says: both are in the list's
findings key (`checks.findings_cache`: its file, its chain's files, the registry, the day, the
review records, the editions of its id and its floor's, qingdan's code). Beyond that it shows
the list's other editions (本版变化, earlier editions' PDFs) and its standing, which reads every
finding filed under its edition (a duplicate's too): so the key adds every file holding the same
id, with its findings key. Where no earlier edition is in the catalogue, the previous one is
looked for in git, so the key adds the repository's HEAD; a repository whose HEAD cannot be read
keeps nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from compiler.checks.pipeline import CheckResult, ListResult
from compiler.output.pickle_store import PickleStore
from compiler.publish.render import cache
from compiler.publish.views import ListView, publication_view
from compiler.source import repository


@dataclass
class KeptView:
    """A list's view, and its digest (what its page, open data and finder entry are kept by)."""

    view: ListView
    digest: str


def view_digest(view: ListView) -> str:
    """Everything a list's page, open data and finder entry show: its view (a frozen dataclass with a
    stable repr), as one key; `cache.key` adds the templates and code."""
    return cache.key("list-view", view)


class KeptViews:
    """The views of one build's lists: from `folder`'s store where their inputs are unchanged."""

    def __init__(self, folder: Path | None, check: CheckResult) -> None:
        self.store = PickleStore(folder / "build" / "store" / "views" if folder is not None else None, KeptView)
        self.check = check
        self.digests: dict[str, str] = {}  # by list id: one published view per id
        self._heads: dict[Path, str | None] = {}  # by repository
        self._folders: dict[str, Path | None] = {}  # each list folder's repository (None: in none)
        self._by_id: dict[str, list[str]] = {}
        for e in check.corpus.lists:
            self._by_id.setdefault(e.model.id, []).append(e.doc.name)

    def view(self, result: ListResult) -> ListView:
        """The publication view of `result`, kept or made (and then kept)."""
        k = self.key(result) if self.store.folder is not None else None
        if k is not None and (hit := self.store.get(k)) is not None:
            self.digests[hit.view.id] = hit.digest
            return hit.view
        view = publication_view(result, self.check)
        self.digests[view.id] = view_digest(view)
        if k is not None:
            self.store.put(k, KeptView(view, self.digests[view.id]))
        return view

    def digest(self, view: ListView) -> str:
        """`view_digest(view)`, known already for every view `view` made or found."""
        return self.digests.get(view.id) or view_digest(view)

    def key(self, result: ListResult) -> str | None:
        """Everything `result`'s view shows, hashed; None where that cannot be known (no findings key,
        or a git history that cannot be read)."""
        check, entry = self.check, result.entry
        own = check.keys.get(entry.doc.name)
        if own is None:
            return None
        same_id = [(name, check.digests.get(name), check.keys.get(name)) for name in self._by_id[entry.model.id]]
        earlier = any(e < entry.model.edition for e in check.corpus.editions.get(entry.model.id, ()))
        history = "catalogue" if earlier else self._history(Path(entry.doc.path))
        if history is None:
            return None
        return cache.key("kept-list-view", own, same_id, history)

    def _history(self, path: Path) -> str | None:
        """What git's history of `path` is read from: the HEAD of its repository ("none" outside one)."""
        from compiler.review.history import maybe_in_repository

        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._folders:  # a national catalogue has thousands of lists in hundreds of folders
            here = Path(folder)
            self._folders[folder] = (repository.enclosing(here) or here) if maybe_in_repository(here) else None
        top = self._folders[folder]
        if top is None:
            return "none"
        if top not in self._heads:
            self._heads[top] = _head(top)
        return self._heads[top]


def _head(folder: Path) -> str | None:
    from compiler.review.history import git

    done = git(folder, "rev-parse", "HEAD")
    if done is None:
        return None  # git could not be asked: keep nothing rather than guess
    if done.returncode != 0:
        return f"git {done.returncode}"  # no repository, or no commit yet: `git log` finds no history either
    return done.stdout.decode().strip()
