"""The build's input digest: one walk of the catalogue, each file hashed again only when its stat
changed (`cache.digest_tree`), the same hash as the plain walk (`cache.digest_files`)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from compiler.output.digest_memo import DigestMemo
from compiler.publish.render import cache


def _tree(root: Path, rng: random.Random, outside: Path) -> None:
    """A catalogue-like tree with every kind of entry: names that sort differently as strings and
    as paths (a-b, a/b), nested and empty folders, links in and out, broken links, a FIFO, caches."""
    names = ["a", "a-b", "a.b", "b", "中文", "Z", "a b", "__pycache__", "x.yaml", "y.yml"]
    for _ in range(60):
        depth = rng.randint(0, 3)
        folder = root.joinpath(*[rng.choice(names) for _ in range(depth)])
        name = rng.choice(names) + rng.choice(["", ".yaml", ".txt"])
        path = folder / name
        if any(p.is_symlink() or (p.exists() and not p.is_dir()) for p in path.parents) or os.path.lexists(path):
            continue  # never inside a linked folder or a file
        folder.mkdir(parents=True, exist_ok=True)
        kind = rng.random()
        if kind < 0.6:
            path.write_bytes(rng.randbytes(rng.randint(0, 300)))
        elif kind < 0.7:
            path.mkdir()
        elif kind < 0.8:
            targets = [p for p in root.rglob("*") if p.is_file()]
            if targets:
                path.symlink_to(rng.choice(targets))
        elif kind < 0.85:
            path.symlink_to(outside)
        elif kind < 0.9:
            path.symlink_to(root / "nowhere")
        elif kind < 0.95:
            path.symlink_to(folder)  # a linked folder: listed, never walked into
        else:
            os.mkfifo(path)
    (root / "departments.yaml").write_text("departments: []\n", encoding="utf-8")


@pytest.mark.parametrize("seed", range(12))
def test_the_walk_with_a_memo_gives_the_plain_walks_hash(tmp_path, seed):
    outside = tmp_path / "secret.txt"
    outside.write_text("not the catalogue's", encoding="utf-8")
    root = tmp_path / "catalogue"
    root.mkdir()
    _tree(root, random.Random(seed), outside)
    memo = DigestMemo(tmp_path / "cache", "build")
    assert cache.digest_tree(root, memo) == cache.digest_files([root])
    memo.save()
    again = DigestMemo(tmp_path / "cache", "build")
    assert cache.digest_tree(root, again) == cache.digest_files([root]) and not again.changed  # all from the memo


def test_an_edit_changes_the_digest_even_with_the_same_size_and_time(tmp_path):
    """A write always changes the file's status-change time: the memo never answers for new content."""
    root = tmp_path / "catalogue"
    (root / "cities").mkdir(parents=True)
    city = root / "cities" / "a.yaml"
    city.write_text("id: a\nphone: 1234\n", encoding="utf-8")
    memo = DigestMemo(tmp_path / "cache", "build")
    before = cache.digest_tree(root, memo)
    memo.save()
    info = city.stat()
    city.write_text("id: a\nphone: 4321\n", encoding="utf-8")
    os.utime(city, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = cache.digest_tree(root, DigestMemo(tmp_path / "cache", "build"))
    assert after != before and after == cache.digest_files([root])


def test_a_file_as_the_catalogue_and_a_damaged_memo(tmp_path):
    single = tmp_path / "one.yaml"
    single.write_text("id: a\n", encoding="utf-8")
    assert cache.digest_tree(single, DigestMemo(None, "build")) == cache.digest_files([single])
    root = tmp_path / "catalogue"
    root.mkdir()
    (root / "a.yaml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "cache" / "build" / "store").mkdir(parents=True)
    (tmp_path / "cache" / "build" / "store" / "digests").write_bytes(b"not a pickle")
    assert cache.digest_tree(root, DigestMemo(tmp_path / "cache", "build")) == cache.digest_files([root])
