"""Incremental page rendering: a rebuild after one list changed renders only that list's page, and
its output is byte for byte the output of a fresh build of the same inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
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


def test_after_one_list_changed_only_its_docs_files_are_written_the_rest_are_links(catalogue_copy, tmp_path):
    """The docs folder mkdocs reads: each file as it was last time is a hard link to the kept one
    (the kept docs folder's inode stays), so only the edited list's page and data are written."""
    cache = tmp_path / "cache"
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    before = _inodes(cache / "site" / "docs")
    _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-12345", "phone: 0594-54321")

    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    after = _inodes(cache / "site" / "docs")
    assert set(after) == set(before)
    written = sorted(p for p in after if before[p] != after[p])
    assert written == ["data/finder/fujian.json", "lists/putian.md"]  # its page, and the finder's shard holding its contact
    assert all((cache / "site" / "docs" / p).stat().st_mtime_ns == 0 for p in after)


def test_a_kept_docs_file_written_into_or_planted_is_not_used(catalogue_copy, tmp_path):
    """A kept docs file written into, or the kept docs folder replaced by a link: the output is still
    a fresh build's, and nothing behind the link is touched."""
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    page = cache / "site" / "docs" / "lists" / "xiamen.md"
    page.write_text(page.read_text(encoding="utf-8").replace("厦门", "篡改"), encoding="utf-8")
    os.utime(page, ns=(0, 0))
    _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-12345", "phone: 0594-54321")
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    fresh = tmp_path / "fresh"
    assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(fresh)

    (elsewhere / "lists").mkdir(parents=True)
    (elsewhere / "lists" / "xiamen.md").write_text("keep me", encoding="utf-8")
    leftovers = cache / "site" / "docs"
    import shutil

    shutil.rmtree(leftovers)
    leftovers.symlink_to(elsewhere)
    _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-54321", "phone: 0594-12345")
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    assert (elsewhere / "lists" / "xiamen.md").read_text(encoding="utf-8") == "keep me"
    assert not leftovers.is_symlink() and (leftovers / "lists" / "xiamen.md").is_file()
    assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(fresh)


def test_edit_after_edit_each_rebuild_renders_only_the_edited_page(catalogue_copy, tmp_path):
    """The kept site and docs are renewed in place after each build (only what changed is linked
    anew): build after build stays incremental, and each output is a fresh build's."""
    env = {**os.environ, "QINGDAN_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    steps = [("cities/putian.yaml", "phone: 0594-12345", "phone: 0594-54321", "putian"),
             ("counties/minhou.yaml", "phone: 0591-12345", "phone: 0591-54321", "minhou"),
             ("cities/putian.yaml", "phone: 0594-54321", "phone: 0594-12345", "putian")]
    for n, (name, old, new, slug) in enumerate(steps):
        before = _inodes(out)
        _edit(catalogue_copy, name, old, new)
        assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
        after = _inodes(out)
        assert sorted(p for p in after if p.endswith(".html") and before.get(p) != after[p]) == [
            "404.html", f"lists/{slug}/index.html"], n
        fresh = tmp_path / f"fresh-{n}"
        assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
        assert tree_digest(out) == tree_digest(fresh), n
    kept = tmp_path / "cache" / "site"
    assert not list(kept.rglob("*.new-*")) and _inodes(kept / "site").keys() == _inodes(out).keys() - {".qingdan-build"}


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


def _delete(catalogue: Path, name: str) -> None:
    (catalogue / name).unlink()


# Edits of every kind an incremental rebuild must follow: a county list, a city list that is a
# county's floor, the provincial floor of every city, the departments registry, a deleted list and
# a review record (each changes what the kept search shards, pages and open data were made from).
EDITS = {
    "county": lambda c: _edit(c, "counties/minhou.yaml", "phone: 0591-12345", "phone: 0591-54321"),
    "city_floor": lambda c: _edit(c, "cities/fuzhou.yaml", "phone: 0591-12345", "phone: 0591-54321"),
    "province": lambda c: _edit(c, "province/fujian.yaml", "title: 福建省流动儿童在居住地享有关爱服务基础清单",
                                "title: 福建省流动儿童在居住地享有关爱服务基础清单（修订）"),
    "departments": lambda c: _edit(c, "departments.yaml", "name: 福建省民政厅", "name: 福建省民政厅（示例）"),
    "deleted": lambda c: _delete(c, "cities/zhangzhou.yaml"),
    "review": lambda c: _edit(c, "reviews/nanping@1.yaml", "市医保局会签意见返回较晚", "市医保局会签意见返回很晚"),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_a_rebuild_after_an_edit_matches_a_fresh_build_byte_for_byte(catalogue_copy, tmp_path, kind):
    """Whatever was edited, the rebuild from the kept shards, pages and site is the cold build's output, file for file."""
    env = {**os.environ, "QINGDAN_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    EDITS[kind](catalogue_copy)

    done = build(catalogue_copy, out, "--no-pdf", env=env)
    fresh = tmp_path / "fresh"
    cold = build(catalogue_copy, fresh, "--no-pdf", env={**os.environ, "QINGDAN_CACHE": str(tmp_path / "empty")})
    assert (done.returncode, done.stderr) == (cold.returncode, cold.stderr)
    assert tree_digest(out) == tree_digest(fresh)


def test_a_damaged_kept_shard_or_page_is_made_again(catalogue_copy, tmp_path):
    """A kept search shard or page that is not what was stored (truncated) is made again, not published."""
    cache = tmp_path / "cache"
    env = {**os.environ, "QINGDAN_CACHE": str(cache)}
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    for entry in cache.glob("??/*"):
        if not entry.name.endswith(".sha256") and not entry.is_dir():
            entry.write_bytes(entry.read_bytes()[:10])
    _edit(catalogue_copy, "cities/xiamen.yaml", "phone: 0592-12345", "phone: 0592-54321")

    assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
    fresh = tmp_path / "fresh"
    assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(fresh)


def test_a_rebuild_after_one_county_changed_makes_only_its_provinces_finder_shard(tmp_path, monkeypatch):
    """A national portal's finder data is kept by region: after one county's edit only its province's
    shard is made again (the others come from the cache), and the output is the cold build's, byte for byte."""
    import re

    from conftest import AS_OF, generated_corpus

    from compiler.publish import build as building
    from compiler.publish.render import finder

    corpus = generated_corpus(tmp_path / "corpus")
    out = tmp_path / "public"
    options = building.BuildOptions(corpus, out, AS_OF, pdfs=False, cache=tmp_path / "cache")
    building.build(options)
    county = sorted((corpus / "counties").glob("*/*/*.yaml"))[-1]
    text = county.read_text(encoding="utf-8")
    county.write_text(re.sub(r'(\ncontact: \{[^}\n]*phone: ")[^"]*"', r'\g<1>0000-1234567"', text, count=1), encoding="utf-8")
    assert county.read_text(encoding="utf-8") != text
    made: list[list[str]] = []
    real = finder.shard
    monkeypatch.setattr(finder, "shard", lambda views, age_limit: (made.append([v.id for v in views]), real(views, age_limit))[1])

    building.build(options)
    cold = building.build(building.BuildOptions(corpus, tmp_path / "fresh", AS_OF, pdfs=False, cache=tmp_path / "empty"))
    shards = {rel: [v.id for v in views] for rel, views in finder.regions(cold.views).items()}
    edited = re.search(r"\nid: (\S+)", text).group(1)
    assert len(shards) > 2 and made[0] == next(ids for ids in shards.values() if edited in ids)
    assert made[1:] == list(shards.values())  # the cold build, with an empty cache, made every shard
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")


def test_a_rebuild_segments_only_the_search_shard_whose_cards_changed(tmp_path, monkeypatch):
    """A national portal's search index is kept by shard: after a county's edit only its province's
    cards are made again, and segmented only if they changed (a contact's phone is on no card);
    the synonyms are segmented once per cache. The output is the cold build's, byte for byte."""
    import re

    from conftest import AS_OF, generated_corpus

    from compiler.publish import build as building
    from compiler.publish.render import search

    corpus = generated_corpus(tmp_path / "corpus")
    out = tmp_path / "public"
    options = building.BuildOptions(corpus, out, AS_OF, pdfs=False, cache=tmp_path / "cache")
    building.build(options)
    carded: list[list[str]] = []
    segmented: list[int] = []
    expanded: list[int] = []
    cards, document, expansions = search._cards, search._Shard.document, search._expansions
    monkeypatch.setattr(search, "_cards", lambda views, home: (carded.append([v.id for v in views]), cards(views, home))[1])
    monkeypatch.setattr(search._Shard, "document", lambda self: (segmented.append(len(self.entries)), document(self))[1])
    monkeypatch.setattr(search, "_expansions", lambda: (expanded.append(1), expansions())[1])

    county = sorted((corpus / "counties").glob("*/*/*.yaml"))[-1]
    text = county.read_text(encoding="utf-8")
    edited = re.search(r"\nid: (\S+)", text).group(1)
    county.write_text(re.sub(r'(\ncontact: \{[^}\n]*phone: ")[^"]*"', r'\g<1>0000-1234567"', text, count=1), encoding="utf-8")
    views = building.build(options).views
    regions = {sid: [v.id for v in members] for sid, members in search._regions(views).items()}
    assert len(regions) > 1
    assert carded == [next(ids for ids in regions.values() if edited in ids)]  # one region's cards, once
    assert segmented == [] and expanded == []  # its cards are as they were: kept by them

    before = county.read_text(encoding="utf-8")
    county.write_text(re.sub(r"(\n\s+text: [^\n]*服务)\n", r"\1和随访\n", before, count=1), encoding="utf-8")
    assert county.read_text(encoding="utf-8") != before
    carded.clear()
    building.build(options)
    assert len(carded) == 1 and len(segmented) == 1 and expanded == []
    cold = building.build(building.BuildOptions(corpus, tmp_path / "fresh", AS_OF, pdfs=False, cache=tmp_path / "empty"))
    assert len(segmented) == 1 + len(regions) and expanded == [1]  # the cold build made everything
    assert cold.views and tree_digest(out) == tree_digest(tmp_path / "fresh")


def test_unchanged_lists_pages_are_linked_by_key_without_being_read(catalogue_copy, tmp_path, monkeypatch):
    """After one list changed, the pages and open data of the others are linked from the kept docs
    folder by the key they were made from: not taken from the page cache, not made. A kept file
    that is not as it was left is taken from the cache again; the output is the cold build's."""
    from conftest import AS_OF

    from compiler.publish import build as building

    options = building.BuildOptions(catalogue_copy, tmp_path / "public", AS_OF, pdfs=False, cache=tmp_path / "cache")
    building.build(options)
    made: list[str] = []
    real = building._page_and_data
    monkeypatch.setattr(building, "_page_and_data", lambda view, *rest: (made.append(view.id), real(view, *rest))[1])
    _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-12345", "phone: 0594-54321")
    building.build(options)
    assert made == ["putian"]

    kept = tmp_path / "cache" / "site" / "docs" / "lists" / "xiamen.md"
    kept.write_text(kept.read_text(encoding="utf-8") + "\n<p>篡改</p>\n", encoding="utf-8")
    made.clear()
    _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-54321", "phone: 0594-12345")
    building.build(options)
    assert sorted(made) == ["putian", "xiamen"]
    fresh = tmp_path / "fresh"
    building.build(building.BuildOptions(catalogue_copy, fresh, AS_OF, pdfs=False, cache=tmp_path / "empty"))
    assert tree_digest(options.out) == tree_digest(fresh)


def test_a_cache_on_another_file_system_builds_right_and_leaves_nothing_half_made(catalogue_copy, tmp_path):
    """Hard links cannot reach a cache on another file system: every build is then a full one, its
    output a fresh build's, and no half-made kept folder is left in the cache build after build."""
    import tempfile

    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev or not os.access(other, os.W_OK):
        pytest.skip("no second writable file system here")
    with tempfile.TemporaryDirectory(dir=other) as elsewhere:
        env = {**os.environ, "QINGDAN_CACHE": elsewhere}
        out = tmp_path / "public"
        assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
        _edit(catalogue_copy, "cities/putian.yaml", "phone: 0594-12345", "phone: 0594-54321")
        assert build(catalogue_copy, out, "--no-pdf", env=env).returncode == 0
        assert not [p.name for p in Path(elsewhere, "site").iterdir() if ".new-" in p.name]
    fresh = tmp_path / "fresh"
    assert build(catalogue_copy, fresh, "--no-pdf", "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(fresh)
