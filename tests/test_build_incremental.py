"""Incremental page rendering: a rebuild after one list changed renders only that list's page, and
its output is byte for byte the output of a fresh build of the same inputs."""

from __future__ import annotations

import os
from pathlib import Path

from test_build import build, tree_digest


def _edit(catalogue: Path, name: str, old: str, new: str) -> None:
    path = catalogue / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _snapshot(folder: Path, to: Path) -> None:
    """Hard links to every file of `folder`: what they hold shows whether anyone wrote into them."""
    for path in folder.rglob("*"):
        if path.is_file():
            (to / path.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, to / path.relative_to(folder))


def test_a_rebuild_after_one_list_changed_renders_only_its_page_and_matches_a_fresh_build(catalogue_copy, tmp_path):
    env = {**os.environ, "QINGDAN_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    before, held = _inodes(out), tmp_path / "held"
    _snapshot(out, held)
    digest_before = tree_digest(held)
    # putian has no review record: a change to a signed-off list would also change the report (QD805)
    _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-12345", "phone: 0594-54321")

    done = build(catalogue_copy, out, "--no-pdf", env=env)
    assert done.returncode == 0, done.stderr
    after = _inodes(out)
    rendered = sorted(p for p in after if p.endswith(".html") and before.get(p) != after[p])
    assert rendered == ["404.html", "lists/putian/index.html"]
    assert tree_digest(held) == digest_before  # the previous output was never written into

    fresh = tmp_path / "fresh"
    assert build(catalogue_copy, fresh, "--no-pdf", env={**os.environ, "QINGDAN_CACHE": str(tmp_path / "empty")}).returncode == 0
    assert tree_digest(out) == tree_digest(fresh)


def test_a_site_wide_change_renders_every_page_again(catalogue_copy, tmp_path):
    """A new list changes the navigation of every page: nothing of the kept site is reused."""
    env = {**os.environ, "QINGDAN_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    before = _inodes(out)
    _edit(catalogue_copy, "cities/xiamen.yaml", "jurisdiction: 厦门市", "jurisdiction: 厦门经济特区")

    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    after = _inodes(out)
    assert not [p for p in after if p.endswith(".html") and before.get(p) == after[p]]
    fresh = tmp_path / "fresh"
    assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(fresh)


def test_a_kept_site_not_as_it_was_left_is_not_used(catalogue_copy, tmp_path):
    """A kept page written into, or replaced by a link, means a full build; the output is still right."""
    cache = tmp_path / "cache"
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    kept = cache / "site" / "site"
    (kept / "index.html").unlink()
    (kept / "index.html").write_text("<p>planted</p>", encoding="utf-8")
    (kept / "lists/fuzhou/index.html").unlink()
    (kept / "lists/fuzhou/index.html").symlink_to("/etc/hostname")
    _edit(catalogue_copy, "cities/xiamen.yaml", "phone: 0592-12345", "phone: 0592-54321")

    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    fresh = tmp_path / "fresh"
    assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(fresh)
    assert "planted" not in (out / "index.html").read_text(encoding="utf-8")
    assert not (kept / "lists/fuzhou/index.html").is_symlink()


def test_without_the_cache_nothing_is_kept(catalogue_copy, tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    assert build(catalogue_copy, tmp_path / "public", "--no-pdf", "--no-cache", env=env).returncode == 0
    assert not (cache / "site").exists()


def test_a_link_planted_as_the_kept_site_is_never_followed(catalogue_copy, tmp_path):
    """The kept site is replaced whole after each build: through a planted link, that would remove someone's files."""
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    (elsewhere / "site").mkdir(parents=True)
    (elsewhere / "site" / "precious.txt").write_text("keep me", encoding="utf-8")
    cache.mkdir()
    (cache / "site").symlink_to(elsewhere)
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    assert build(catalogue_copy, tmp_path / "public", "--no-pdf", env=env).returncode == 0
    assert (elsewhere / "site" / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert not (cache / "site").is_symlink() and (cache / "site" / "state.json").is_file()
