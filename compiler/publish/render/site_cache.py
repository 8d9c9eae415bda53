"""The previous build's site, kept in the build cache so that mkdocs renders only the pages whose
Markdown changed (its dirty build).

What is kept (under the cache folder, `site/`): the mkdocs output of the last build and a state
file recording what it was built from: a key over everything site-wide (qingdan's code, templates
and site/, the mkdocs configuration without its folders, the versions of mkdocs and its theme,
the build date) and the digest of every file of the docs folder. A build with the same key starts
its output from hard links to the kept files; a docs file whose content is the same as last time
gets an old modification time, so mkdocs (which rebuilds a page only when its source is newer
than its output) skips it, and renders everything else. Anything site-wide changed, a docs file
removed, or a kept file not exactly as it was left (its size, time or inode differ; a link planted
in the cache) means a full build.

The docs folder is kept too (`docs/`, every file with the modification time 0, its state recorded
the same way): the next build links each docs file whose content is the same instead of writing
it (`docs_folder`), and mkdocs sees it as older than its page.

The kept files are shared, by hard link, with the published output and the next staging folder:
nothing may ever write into one of them. Before a dirty build every output mkdocs is about to write (a page or asset it finds
modified, its static templates such as 404.html and the sitemap) is unlinked first, so that it
writes a new file.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from compiler.publish import leftovers
from compiler.publish.render import cache
from compiler.publish.render.docs_folder import DocsFolder, KeptDoc, file_state, state_of

STATE = "state.json"


def _files(root: Path) -> list[tuple[str, str]]:
    """Every file under `root` (links included, never followed), in a stable order: its name
    relative to `root` (with /) and its path. Strings: a national site has tens of thousands."""
    found = []
    top = os.fspath(root)
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        rel = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if rel == "." else f"{rel}/"
        found += [(prefix + n, os.path.join(folder, n)) for n in sorted(names)]
    return found


def _stat(path: str | Path) -> list[int] | None:
    """`file_state` as the state file records it (a list)."""
    found = file_state(path)
    return list(found) if found is not None else None


def site_key(config_file: Path, epoch: str) -> str:
    """Everything every page depends on: the configuration (without its folders, which are new each
    build), mkdocs and its theme, and the build date; `cache.key` adds qingdan's own code."""
    from importlib.metadata import version

    config = json.loads(config_file.read_text(encoding="utf-8"))
    for folder in ("docs_dir", "site_dir"):
        config.pop(folder, None)
    return cache.key("site", config, version("mkdocs"), version("mkdocs-material"), version("markdown"), epoch)


class SiteCache:
    """The previous build's site; `None` as the cache folder turns incremental rendering off."""

    def __init__(self, folder: Path | None) -> None:
        self.root = folder / "site" if folder is not None else None
        self._docs: dict[str, str] | None = None  # the docs folder's digests, as `prepare` found them
        self._read: dict[str, Any] | None = None
        # The kept folders found exactly as the state says (each file's inode, by name): kept again
        # by linking only what changed, not made anew.
        self._valid: dict[str, dict[str, int]] = {}

    def _state(self) -> dict[str, Any] | None:
        if self._read is not None:
            return self._read
        assert self.root is not None
        try:
            if not stat.S_ISREG(os.lstat(self.root / STATE).st_mode):
                return None
            state = json.loads((self.root / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or not all(isinstance(state.get(k), dict) for k in ("docs", "site")):
            return None
        self._read = state
        return state

    def kept_docs(self) -> dict[str, KeptDoc]:
        """The kept docs files by name that are as the last build left them (reached through no link);
        empty without a cache or a kept docs folder."""
        if self.root is None or os.path.islink(self.root) or (state := self._state()) is None:
            return {}
        folder, recorded = self.root / "docs", state.get("kept_docs")
        if not isinstance(recorded, dict) or os.path.islink(folder) or not folder.is_dir():
            return {}
        made_from = state.get("made_from")
        made_from = made_from if isinstance(made_from, dict) else {}
        kept, files = {}, _files(folder)
        for rel, path in files:
            digest, left, key = state["docs"].get(rel), recorded.get(rel), made_from.get(rel)
            if isinstance(digest, str) and isinstance(left, list) and len(left) == 3:
                kept[rel] = KeptDoc(digest, path, (left[0], left[1], left[2]), key if isinstance(key, str) else None)
        if len(files) == len(recorded) and all(file_state(d.path) == d.state for d in kept.values()):
            self._valid["docs"] = {rel: d.state[2] for rel, d in kept.items()}  # exactly as left
        return kept

    def prepare(self, key: str, docs: DocsFolder, staged: Path) -> bool:
        """Start `staged` from the kept site and date the unchanged docs files back; False (and
        `staged` left empty) when the site must be built in full."""
        if self.root is None or os.path.islink(self.root):
            return False
        state = self._state()
        kept = self.root / "site"
        digests = self._docs = docs.digests()  # what `keep` records: mkdocs does not change the docs
        if state is None or state.get("key") != key or set(state["docs"]) - set(digests):
            return False
        try:
            if os.path.islink(kept) or not kept.is_dir():
                return False
            files = _files(kept)
            if len(files) != len(state["site"]) or any(state["site"].get(rel) != _stat(path) for rel, path in files):
                return False
            _link_all(files, staged)
            self._valid["site"] = {rel: state["site"][rel][2] for rel, _ in files}  # exactly as left
        except OSError:
            leftovers.remove(staged)
            return False
        for rel, digest in digests.items():
            if state["docs"].get(rel) == digest and os.lstat(docs / rel).st_mtime_ns:
                os.utime(docs / rel, ns=(0, 0))  # older than any output: mkdocs leaves its page as it is
        return True

    def keep(self, key: str, docs: DocsFolder, staged: Path) -> None:
        """Keep `staged` and the docs folder (by hard links) and what they were built from, for the next build."""
        if self.root is None:
            return
        try:
            if os.path.islink(self.root):
                self.root.unlink()  # planted: replacing what is behind it would remove someone's files
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / STATE).unlink(missing_ok=True)  # while the kept site is replaced it is not one
            recorded = self._renew("site", staged, dated=False)
            digests = self._docs if self._docs is not None else docs.digests()
            kept_docs = self._renew("docs", docs.root, dated=True)
            state = {"key": key, "docs": digests, "site": recorded, "kept_docs": kept_docs,
                     "made_from": {rel: k for rel, k in docs.made_from.items() if rel in kept_docs}}
            (self.root / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a read-only or full cache folder must not fail a build: the next one is a full one

    def _renew(self, name: str, source: Path, dated: bool) -> dict[str, list[int] | None]:
        """The kept folder `name` as the files of `source`, by hard links: where it was found as left,
        by linking only the files that are not already the kept ones (after one edit, a few of
        thousands) and removing those gone; else made anew. Returns how each file was left."""
        kept = self._valid.get(name)
        if kept is None:
            return self._replace(name, source, dated)
        assert self.root is not None
        folder, recorded = self.root / name, {}
        made: set[str] = set()
        for rel, path in _files(source):
            info = os.lstat(path)
            target = os.path.join(folder, rel)
            if kept.get(rel) != info.st_ino:  # made by this build: linked in place of the kept one
                if (parent := os.path.dirname(target)) not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                fresh = f"{target}.new-{os.getpid()}"
                os.link(path, fresh)
                os.replace(fresh, target)
                if dated and info.st_mtime_ns:
                    os.utime(target, ns=(0, 0))
                    info = os.lstat(target)
            found = state_of(info)
            recorded[rel] = list(found) if found is not None else None
        for rel in set(kept) - set(recorded):
            os.unlink(os.path.join(folder, rel))
        return recorded

    def _replace(self, name: str, source: Path, dated: bool) -> dict[str, list[int] | None]:
        """The kept folder `name` made anew from hard links to the files of `source`; `dated`: each
        file's modification time set to 0 (as a kept docs file, older than any page). Returns how
        each file was left."""
        assert self.root is not None
        fresh = self.root / f"{name}.new-{os.getpid()}"
        leftovers.remove(fresh)
        try:
            files = _files(source)
            targets = _link_all(files, fresh)
            recorded = {}
            for (rel, _), target in zip(files, targets):
                if dated and os.lstat(target).st_mtime_ns:
                    os.utime(target, ns=(0, 0))
                recorded[rel] = _stat(target)
        except OSError:  # no links to another file system, a full disk: nothing half made is left
            leftovers.remove(fresh)
            raise
        leftovers.remove(self.root / name)
        os.replace(fresh, self.root / name)
        return recorded


def _link_all(files: list[tuple[str, str]], into: Path | str) -> list[str]:
    """Hard links in `into` to the `files` (name, path), under their names; returns the links' paths."""
    made, targets = set(), []
    for rel, path in files:
        target = os.path.join(into, rel)
        if (parent := os.path.dirname(target)) not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        os.link(path, target)
        targets.append(target)
    return targets


def unlink_outputs(config: Any) -> None:
    """Before a dirty build: remove every output mkdocs is about to write, so that it writes new files
    and never into a file shared by hard link with the kept site and the published output."""
    from mkdocs.structure.files import get_files

    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    site = Path(config.site_dir)
    outputs = [Path(f.abs_dest_path) for f in files if f.abs_src_path and f.is_modified()]
    for name in [*config.theme.static_templates, *config.extra_templates]:
        outputs += [site / name, site / f"{name}.gz"]
    for path in outputs:
        path.unlink(missing_ok=True)
