"""The benchmark corpus generator (bench/generate.py), run at a tiny scale: a valid catalogue on
its floor chains, checked by the real pipeline."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT

from compiler.checks import pipeline
from compiler.models import Level
from compiler.source.loader import load

SCRIPT = ROOT / "bench" / "generate.py"


def _module():
    spec = importlib.util.spec_from_file_location("bench_generate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """1 province, 2 cities, 3 counties, written by the script as a person runs it."""
    out = tmp_path_factory.mktemp("tiny") / "corpus"
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--provinces", "1", "--cities", "2",
                           "--counties", "3"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "7 lists" in done.stdout
    return out


def test_tiny_corpus_checks_without_reference_errors(tiny):
    """Every generated list is valid, checked, and none has a QD1xx or QD2xx finding."""
    result = pipeline.check([tiny], AS_OF)
    assert not result.invalid
    assert len(result.lists) == 7
    codes = {d.code for d in result.diagnostics.sorted()}
    assert not {c for c in codes if c.startswith(("QD1", "QD2"))}, codes


def test_every_list_stands_on_the_level_above(tiny):
    """Counties on a city, cities on the province, the province on the national list, all samples."""
    corpus = pipeline.check([tiny], AS_OF).corpus
    levels = {entry.model.level: 0 for entry in corpus.lists}
    for entry in corpus.lists:
        levels[entry.model.level] += 1
        assert entry.model.sample
        chain = [e.model.level for e in corpus.chain(entry)]
        assert chain == list(Level)[: entry.model.level.rank + 1][::-1]
    assert levels == {Level.national: 1, Level.province: 1, Level.city: 2, Level.county: 3}


def test_lists_are_about_the_size_of_the_real_one(tiny):
    """Each list has the provincial template's items and provisions (and so about its size)."""
    bundled = pipeline.check([ROOT / "catalogue" / "province" / "fujian.yaml"], AS_OF).corpus
    template = next(e.model for e in bundled.lists if e.model.id == "fujian")
    for entry in pipeline.check([tiny], AS_OF).corpus.lists:
        assert len(list(entry.model.items())) == len(list(template.items()))
        assert len(list(entry.model.provisions())) == len(list(template.provisions()))


def test_the_same_seed_writes_the_same_files(tmp_path):
    """Generation is deterministic: two runs with one seed write identical files."""
    generate = _module()
    generate.generate(tmp_path / "a", 2, 3, 4, seed=7)
    generate.generate(tmp_path / "b", 2, 3, 4, seed=7)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len(files) == 1 + 2 + 3 + 4 + 1  # and the registry
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_the_writer_emits_what_the_loader_reads_back(tmp_path):
    """Texts that need quoting (numbers, colons, quotes, leading dashes) round-trip through the YAML writer."""
    generate = _module()
    data = {"id": "x", "texts": ["0591-12345", "a: b", "引号“和\"", "- 不是列表", "true", "1.5", "2025-01-01", " 空格"],
            "nested": [{"k": "v", "list": [1, 2]}, {"deep": {"x": "y"}}], "empty": [], "flag": False}
    path = tmp_path / "x.yaml"
    path.write_text(generate.dumps(data), encoding="utf-8")
    doc, problems = load(path)
    assert problems == []
    assert doc.data == data


def test_place_names_do_not_run_out_beyond_the_national_scale():
    """More names of one suffix than two syllables can make are still found, all different (4x national)."""
    import random

    module = _module()
    names = module._Names(random.Random(1))
    two = len(module._SYLLABLES) * (len(module._SYLLABLES) - 1)
    made = {names.place("县") for _ in range(two + 500)}
    assert len(made) == two + 500


def test_scale_multiplies_every_level():
    """--scale 2 asks for twice the provinces, cities and counties of one national corpus."""
    module = _module()
    assert module.scaled(2) == (2 * module.PROVINCES, 2 * module.CITIES, 2 * module.COUNTIES)
    assert module.scaled(0.0001) == (1, 1, 1)
