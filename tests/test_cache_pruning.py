"""The cache forgets what nothing used for a month: entries a hit marks stay, old ones go, once a day."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from conftest import AS_OF, qingdan_cli

from compiler.checks.findings_cache import Findings, FindingsCache
from compiler.output import pruning
from compiler.publish.render.cache import Cache

MONTH_AGO = time.time() - 40 * pruning.DAY


def _name(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def _age(path: Path, when: float = MONTH_AGO) -> None:
    os.utime(path, (when, when), follow_symlinks=False)


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("??/*")}


def test_an_old_entry_goes_with_its_digest_and_a_used_one_stays(tmp_path):
    store = Cache(tmp_path)
    for seed in ("old", "used", "new"):
        store.put(_name(seed), seed.encode())
    for seed in ("old", "used"):
        for path in tmp_path.glob(f"??/{_name(seed)}*"):
            _age(path)
    assert store.get(_name("used")) == b"used"  # a hit marks it, and its digest, as used
    assert pruning.prune(tmp_path) == 2
    assert _entries(tmp_path) == {_name("used"), _name("used") + ".sha256", _name("new"), _name("new") + ".sha256"}
    assert store.get(_name("used")) == b"used" and store.get(_name("new")) == b"new"
    assert store.get(_name("old")) is None


def test_a_digest_left_alone_goes_when_old_and_what_is_not_an_entry_stays(tmp_path):
    shard = tmp_path / "ab"
    shard.mkdir()
    orphan = shard / (_name("gone") + ".sha256")
    orphan.write_text("x")
    notes = shard / "README"  # not named by hash: not the cache's to remove
    notes.write_text("mine")
    other = tmp_path / "jieba" / "dict.cache"  # not a two-letter folder: never swept
    other.parent.mkdir()
    other.write_text("cache")
    for path in (orphan, notes, other):
        _age(path)
    assert pruning.prune(tmp_path) == 1
    assert not orphan.exists() and notes.exists() and other.exists()


def test_a_link_in_the_cache_is_removed_and_what_it_points_at_is_not(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    cache = tmp_path / "cache"
    (cache / "cd").mkdir(parents=True)
    link = cache / "cd" / _name("link")
    link.symlink_to(outside)
    folder_link = cache / "ef"  # a two-letter "folder" that is a link: not entered
    folder_link.symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / _name("victim")).write_text("keep me too")
    for path in (link, folder_link, outside, tmp_path / _name("victim")):
        _age(path)
    assert pruning.prune(cache) == 1
    assert not link.is_symlink() and outside.read_text() == "keep me"
    assert (tmp_path / _name("victim")).exists()


def test_the_cache_is_swept_at_most_once_a_day(tmp_path):
    store = Cache(tmp_path)
    store.put(_name("a"), b"a")
    for path in tmp_path.glob("??/*"):
        _age(path)
    now = time.time()
    assert pruning.prune(tmp_path, now) == 2
    store.put(_name("b"), b"b")
    for path in tmp_path.glob("??/*"):
        _age(path)
    assert pruning.prune(tmp_path, now + 3600) == 0  # swept an hour ago
    assert pruning.prune(tmp_path, now + 2 * pruning.DAY) == 2
    assert pruning.prune(None) == 0


def test_a_hit_marks_an_entry_at_most_once_a_day(tmp_path):
    store = Cache(tmp_path)
    store.put(_name("a"), b"a")
    (path,) = [p for p in tmp_path.glob("??/*") if not p.name.endswith(".sha256")]
    recent = time.time() - 3600
    _age(path, recent)
    store.get(_name("a"))
    assert path.stat().st_mtime == recent  # marked within the day: not written again
    _age(path, time.time() - 2 * pruning.DAY)
    store.get(_name("a"))
    assert path.stat().st_mtime > time.time() - 60


def test_findings_used_stay_and_unused_go(tmp_path):
    findings = FindingsCache(tmp_path)
    for seed in ("used", "unused"):
        findings.put(_name(seed), Findings([], None))  # type: ignore[arg-type]  (what is kept is beside the point)
    for path in (tmp_path / "check" / "store" / "findings").glob("??/*"):
        _age(path)
    assert findings.get(_name("used")) is not None
    assert pruning.prune(tmp_path) == 1
    assert findings.get(_name("used")) is not None and findings.get(_name("unused")) is None


def test_check_sweeps_its_cache_and_keeps_what_it_used(tmp_path, catalogue_copy):
    cache = tmp_path / "cache"
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    args = ("check", str(catalogue_copy), "--as-of", AS_OF.isoformat())
    assert qingdan_cli(*args, env=env).returncode in (0, 1)
    kept = cache / "check" / "store" / "findings"
    used = _entries(kept)
    assert used
    for path in [*kept.glob("??/*"), *cache.glob(pruning.MARKER)]:
        _age(path)
    stale = kept / "00" / _name("an edit long ago")
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(b"old findings")
    _age(stale)
    for output in (cache / "check").glob("[0-9a-f]*"):
        output.unlink()  # the whole output forgotten: the check runs, and reads each list's findings
    done = qingdan_cli(*args, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert _entries(kept) == used  # every list's findings were used again; the stale entry is gone
    assert "Traceback" not in done.stderr
