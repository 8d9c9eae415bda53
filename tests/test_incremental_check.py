"""A check answered from the per-file and per-list caches prints, byte for byte, what a cold
`--no-cache` check prints, after every edit of a series, for the whole catalogue and for single
files; and an edit re-checks only the lists that depend on the edited file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT

from compiler.cli import main

SCRIPT = ROOT / "bench" / "generate.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated catalogue: 1 national, 2 provinces, 4 cities, 9 counties."""
    out = tmp_path_factory.mktemp("corpus") / "national"
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--provinces", "2", "--cities", "4",
                           "--counties", "9"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def work(corpus, tmp_path, monkeypatch) -> Path:
    """A copy of the corpus to edit, checked from its parent folder with a cache of its own."""
    copy = tmp_path / "catalogue"
    shutil.copytree(corpus, copy)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QINGDAN_CACHE", str(tmp_path / "cache"))
    return copy


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", *args, "--as-of", AS_OF.isoformat()])
    return code, capsys.readouterr().out


def _same_as_cold(capsys, *args: str) -> None:
    """The cached answer (after clearing the whole-output cache) and a warm repeat equal a cold run."""
    cold = _run(capsys, *args, "--no-cache")
    for entry in (Path("cache") / "check").glob("[0-9a-f]*"):
        entry.unlink()  # so the answer comes from the per-file and per-list caches, not the whole output
    assert _run(capsys, *args) == cold, args
    assert _run(capsys, *args) == cold, args


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root.parent).as_posix() for p in root.rglob("*.yaml") if p.name != "departments.yaml")


def _sample(root: Path) -> list[str]:
    """A few single files to check: the first and last county, a city, a province, and any copy made."""
    files = _files(root)
    picked = [f for f in files if f.startswith("catalogue/counties/")][:1] + [f for f in files if "copy" in f]
    picked += [f for f in files if f.startswith("catalogue/cities/")][:1] + [f for f in files if f.startswith("catalogue/provinces/")][:1]
    return [f for f in files if f in picked] + files[-1:]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _series(work: Path):
    """Edits people make, one after the other (each name says what it changes)."""
    county = sorted((work / "counties").rglob("*.yaml"))[0]
    city = sorted((work / "cities").rglob("*.yaml"))[0]
    province = sorted((work / "provinces").glob("*.yaml"))[0]
    yield "nothing", lambda: None
    yield "county wording", lambda: _edit(county, "text: ", "text: 本县")
    yield "city wording (its counties' floor)", lambda: _edit(city, "text: ", "text: 本市")
    yield "registry", lambda: _edit(work / "departments.yaml", "functions:", "functions: [额外职能]\n    old_functions:")
    yield "registry back", lambda: _edit(work / "departments.yaml", "functions: [额外职能]\n    old_functions:", "functions:")
    yield "a duplicate edition elsewhere", lambda: shutil.copy(county, work / "counties" / "aaa-copy.yaml")
    yield "a newer provincial edition", lambda: (work / "provinces" / "zz-next.yaml").write_text(
        province.read_text(encoding="utf-8").replace("edition: 1", "edition: 2", 1), encoding="utf-8")
    yield "a syntax error in a city", lambda: _edit(city, "groups:", "groups: [")
    yield "a county removed", lambda: county.unlink()
    yield "a review record", lambda: _review(work, city)


def _review(work: Path, city: Path) -> None:
    list_id = city.stem
    (work / "reviews").mkdir(exist_ok=True)
    (work / "reviews" / f"{list_id}@1.yaml").write_text("decision: accepted\n", encoding="utf-8")


def test_cached_checks_print_what_cold_checks_print_after_every_edit(capsys, work):
    """Whole catalogue (text, JSON, SARIF) and single files: cached output equals --no-cache output after each edit."""
    for _name, edit in _series(work):
        edit()
        for fmt in ("text", "json", "sarif"):
            _same_as_cold(capsys, "catalogue", "--format", fmt)
        for file in _sample(work):
            _same_as_cold(capsys, file)


def test_an_edit_rechecks_only_the_lists_that_depend_on_it(capsys, work, monkeypatch):
    """After a county's edit only that county is checked again; after a city's, the city and its counties."""
    from compiler.checks import pipeline

    checked: list[str] = []
    real = pipeline.check_list

    def counting(entry, corpus, as_of, review=None):
        checked.append(entry.doc.name)
        return real(entry, corpus, as_of, review)

    monkeypatch.setattr(pipeline, "check_list", counting)
    _run(capsys, "catalogue")
    assert len(checked) == len(_files(work))
    county = sorted((work / "counties").rglob("*.yaml"))[0]
    checked.clear()
    _edit(county, "text: ", "text: 本县")
    _run(capsys, "catalogue")
    assert checked == [county.relative_to(work.parent).as_posix()]
    city = county.parent.name  # counties/<province>/<city>/<county>.yaml
    below = sorted(p.relative_to(work.parent).as_posix() for p in county.parent.glob("*.yaml"))
    city_file = next(p for p in (work / "cities").rglob(f"{city}.yaml")).relative_to(work.parent).as_posix()
    checked.clear()
    _edit(work / city_file.split("/", 1)[1], "text: ", "text: 本市")
    _run(capsys, "catalogue")
    assert sorted(checked) == sorted([city_file, *below])
