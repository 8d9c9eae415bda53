"""Each file kept as loaded: a check from the cache says exactly what loading every file says, and an
edit, a new name or a damaged entry is never answered from it."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, generated_corpus

from compiler.checks import pipeline
from compiler.output.text import as_report, text
from compiler.source.document_cache import DocumentCache
from compiler.source.inputs import inputs
from compiler.source.loader import display_name


def _output(root: Path, cache: Path | None) -> str:
    found = inputs([root])
    result = pipeline.check_files(found.root, found.files, found.reported, AS_OF, cache)
    report = as_report(result)
    return text(report) + "\n" + "\n".join(f"{r.entry.key} {r.compliant} {r.errors} {r.warnings} {r.match is not None}"
                                           for r in result.lists)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "check" / "store" / "documents").glob("??/*"))


@pytest.fixture
def troubled(tmp_path) -> Path:
    """The bundled catalogue with files of every kind of trouble: syntax, schema, a link out, a
    review record, a copy of a list under another name."""
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    (root / "cities" / "broken.yaml").write_text("id: broken\ntitle: [福州市\n", encoding="utf-8")
    (root / "cities" / "schema.yaml").write_text("id: schema\nedition: zero\n", encoding="utf-8")
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")
    (root / "cities" / "outside.yaml").symlink_to(secret)
    fuzhou = root / "cities" / "fuzhou.yaml"
    shutil.copyfile(fuzhou, root / "cities" / "fuzhou-copy.yaml")
    return root


def test_a_check_from_the_cache_says_what_loading_every_file_says(troubled, tmp_path):
    cache = tmp_path / "cache"
    reference = _output(troubled, None)
    assert _output(troubled, cache) == reference  # the cache filled
    kept = _entries(cache)
    assert len(kept) >= len(list((troubled / "cities").glob("*.yaml"))) - 1  # every readable file, the link's not
    assert _output(troubled, cache) == reference  # answered from it
    assert _entries(cache) == kept


def test_a_link_out_of_the_catalogue_is_not_read_to_be_keyed(troubled, tmp_path):
    secret = tmp_path / "secret.yaml"
    os.chmod(secret, 0)  # were it opened (as root, it could be), the output would still not change
    cache = tmp_path / "cache"
    out = _output(troubled, cache)
    assert "outside.yaml" in out and "secret" not in out.replace("outside.yaml", "")
    for entry in _entries(cache):
        loaded = pickle.loads(entry.read_bytes())
        assert loaded.doc is None or loaded.doc.path.name != "outside.yaml"


def test_a_hit_is_what_the_check_uses_and_an_edit_is_not_answered_from_it(tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    cache = tmp_path / "cache"
    _output(root, cache)
    found = inputs([root])
    xiamen = next(p for p in found.files if p.name == "xiamen.yaml")  # as the check names it
    kept = DocumentCache(cache)
    k = kept.key(xiamen.read_bytes(), xiamen, display_name(xiamen))
    planted = kept.get(k)
    assert planted is not None and planted.model is not None
    planted.model = planted.model.model_copy(update={"jurisdiction": "不是厦门"})
    kept.put(k, planted)
    used = pipeline.check_files(found.root, found.files, found.reported, AS_OF, cache)
    assert "不是厦门" in {e.model.jurisdiction for e in used.corpus.lists}  # the entry is what was read
    xiamen.write_text(xiamen.read_text(encoding="utf-8") + "\n# 改过\n", encoding="utf-8")
    edited = pipeline.check_files(found.root, found.files, found.reported, AS_OF, cache)
    assert "不是厦门" not in {e.model.jurisdiction for e in edited.corpus.lists}
    assert _output(root, cache) == _output(root, None)


def test_the_same_bytes_under_another_name_are_another_entry(tmp_path):
    kept = DocumentCache(tmp_path)
    raw = b"id: a\n"
    keys = {kept.key(raw, Path("/c/a.yaml"), "a.yaml"), kept.key(raw, Path("/c/b.yaml"), "b.yaml"),
            kept.key(raw, Path("/c/a.yaml"), "catalogue/a.yaml"), kept.key(b"id: b\n", Path("/c/a.yaml"), "a.yaml")}
    assert len(keys) == 4


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other-type", "folder"])
def test_a_damaged_entry_is_loaded_again(damage, tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    cache = tmp_path / "cache"
    reference = _output(root, cache)
    for entry in _entries(cache):
        if damage == "truncate":
            entry.write_bytes(entry.read_bytes()[:100])
        elif damage == "garbage":
            entry.write_bytes(b"\x80\x05not a pickle")
        elif damage == "other-type":
            entry.write_bytes(pickle.dumps({"doc": None}))
        else:
            entry.unlink()
            entry.mkdir()
    assert _output(root, cache) == reference


def test_a_read_only_cache_folder_only_costs_time(tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    cache = tmp_path / "cache"
    (cache / "check" / "store").mkdir(parents=True)
    (cache / "check" / "store" / "documents").write_text("a file where the folder would be")
    assert _output(root, cache) == _output(root, None)


def test_a_large_catalogue_loaded_in_workers_and_from_the_cache_says_the_same(tmp_path):
    corpus = generated_corpus(tmp_path / "corpus", provinces=3, cities=20, counties=200)
    cache = tmp_path / "cache"
    reference = _output(corpus, None)
    assert len(list(corpus.rglob("*.yaml"))) > 2 * pipeline.PARALLEL_FILES  # parsed in workers
    assert _output(corpus, cache) == reference
    county = sorted((corpus / "counties").rglob("*.yaml"))[0]
    county.write_text(county.read_text(encoding="utf-8").replace('phone: "', 'phone: "9', 1), encoding="utf-8")
    assert _output(corpus, cache) == _output(corpus, None)

