"""The docs folder of a build: a file whose content is the kept one's is a hard link to it, and
nothing ever writes into a file that may be kept (`compiler.publish.render.docs_folder`)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from compiler.publish.render.docs_folder import DocsFolder, KeptDoc, file_state


def _kept(folder: Path, files: dict[str, str]) -> dict[str, KeptDoc]:
    """`files` written under `folder` as a build would have kept them (time 0), by name."""
    kept = {}
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(0, 0))
        state = file_state(str(path))
        assert state is not None
        kept[rel] = KeptDoc(hashlib.sha256(text.encode("utf-8")).hexdigest(), str(path), state)
    return kept


@pytest.fixture
def kept(tmp_path: Path) -> dict[str, KeptDoc]:
    return _kept(tmp_path / "kept", {"index.md": "# 首页\n", "lists/a.md": "甲\n", "data/a.json": '{"a":1}'})


def test_the_same_content_is_a_link_to_the_kept_file_and_other_content_a_new_file(tmp_path, kept):
    docs = DocsFolder(tmp_path / "docs", kept)
    docs.write("index.md", "# 首页\n")
    docs.write("lists/a.md", "乙\n")  # changed
    docs.write("data/a.json", b'{"a":1}')
    docs.write("lists/b.md", "丙\n")  # new
    assert (tmp_path / "docs/index.md").stat().st_ino == Path(kept["index.md"].path).stat().st_ino
    assert (tmp_path / "docs/data/a.json").stat().st_ino == Path(kept["data/a.json"].path).stat().st_ino
    assert (tmp_path / "docs/lists/a.md").stat().st_ino != Path(kept["lists/a.md"].path).stat().st_ino
    assert (tmp_path / "docs/index.md").stat().st_mtime_ns == 0  # mkdocs: older than its page
    assert (tmp_path / "docs/lists/a.md").stat().st_mtime_ns > 0  # rendered again
    assert docs.linked == 2
    assert Path(kept["lists/a.md"].path).read_text(encoding="utf-8") == "甲\n"
    assert {rel: (tmp_path / "docs" / rel).read_text(encoding="utf-8") for rel in docs.digests()} == {
        "index.md": "# 首页\n", "lists/a.md": "乙\n", "data/a.json": '{"a":1}', "lists/b.md": "丙\n"}


def test_a_second_write_replaces_a_linked_file_and_never_writes_into_the_kept_one(tmp_path, kept):
    docs = DocsFolder(tmp_path / "docs", kept)
    docs.write("index.md", "# 首页\n")
    docs.write("index.md", "# 另一个首页\n")
    assert Path(kept["index.md"].path).read_text(encoding="utf-8") == "# 首页\n"
    assert (tmp_path / "docs/index.md").read_text(encoding="utf-8") == "# 另一个首页\n"
    docs.write("index.md", "# 首页\n")  # back to the kept content: a link again
    assert (tmp_path / "docs/index.md").stat().st_ino == Path(kept["index.md"].path).stat().st_ino


def test_a_file_planted_in_the_folder_is_replaced_not_written_into(tmp_path, kept):
    """Whatever is already at a name (a link to someone's file) is replaced by the file written."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (tmp_path / "docs/lists").mkdir(parents=True)
    (tmp_path / "docs/lists/c.md").symlink_to(precious)
    os.link(precious, tmp_path / "docs/lists/d.md")
    docs = DocsFolder(tmp_path / "docs", kept)
    docs.write("lists/c.md", "丁\n")
    docs.write("lists/d.md", "戊\n")
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "docs/lists/c.md").is_symlink()
    assert (tmp_path / "docs/lists/d.md").read_text(encoding="utf-8") == "戊\n"


@pytest.mark.parametrize("change", ["written", "dated back", "link", "removed"])
def test_a_kept_file_not_as_it_was_left_is_never_linked(tmp_path, kept, change):
    """A kept file written into (even if dated back), turned into a link or gone: the content is written anew."""
    path = Path(kept["lists/a.md"].path)
    if change == "written":
        path.write_text("甲\n", encoding="utf-8")  # the same bytes, but its time says it was written
    elif change == "dated back":
        path.write_text("篡改过\n", encoding="utf-8")
        os.utime(path, ns=(0, 0))
    elif change == "link":
        path.unlink()
        (tmp_path / "elsewhere.md").write_text("甲\n", encoding="utf-8")
        path.symlink_to(tmp_path / "elsewhere.md")
    else:
        path.unlink()
    docs = DocsFolder(tmp_path / "docs", kept)
    docs.write("lists/a.md", "甲\n")
    written = tmp_path / "docs/lists/a.md"
    assert written.read_text(encoding="utf-8") == "甲\n" and not written.is_symlink()
    assert docs.linked == 0 and written.stat().st_mtime_ns > 0


def test_files_made_by_others_count_by_their_content(tmp_path, kept):
    docs = DocsFolder(tmp_path / "docs", kept)
    docs.write("index.md", "# 首页\n")
    (tmp_path / "docs/pdf").mkdir()
    (tmp_path / "docs/pdf/a.pdf").write_bytes(b"%PDF-1.7 ...")
    assert docs.digests() == {"index.md": kept["index.md"].digest,
                              "pdf/a.pdf": hashlib.sha256(b"%PDF-1.7 ...").hexdigest()}


def test_a_kept_folder_on_another_file_system_means_every_file_is_written(tmp_path):
    """Hard links cannot cross file systems: the cache elsewhere only costs the writes."""
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev or not os.access(other, os.W_OK):
        pytest.skip("no second writable file system here")
    import tempfile

    with tempfile.TemporaryDirectory(dir=other) as elsewhere:
        kept = _kept(Path(elsewhere), {"index.md": "# 首页\n", "a.md": "甲\n"})
        docs = DocsFolder(tmp_path / "docs", kept)
        docs.write("index.md", "# 首页\n")
        docs.write("a.md", "甲\n")
        assert docs.linked == 0
        assert (tmp_path / "docs/index.md").read_text(encoding="utf-8") == "# 首页\n"
        assert (tmp_path / "docs/a.md").read_text(encoding="utf-8") == "甲\n"


def test_copied_files_keep_their_bytes_and_names(tmp_path):
    source = tmp_path / "assets"
    (source / "css").mkdir(parents=True)
    (source / "css/site.css").write_bytes(b"body{}\xef\xbb\xbf")
    (source / "finder.js").write_bytes(b"let x = 1;\r\n")
    docs = DocsFolder(tmp_path / "docs")
    docs.copy_tree(source)
    assert (tmp_path / "docs/css/site.css").read_bytes() == b"body{}\xef\xbb\xbf"
    assert (tmp_path / "docs/finder.js").read_bytes() == b"let x = 1;\r\n"
    assert sorted(docs.digests()) == ["css/site.css", "finder.js"]
