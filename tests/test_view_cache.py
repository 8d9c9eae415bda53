"""A published list's view is kept by everything it shows: after any kind of edit, every view a build
takes from the cache is the view it would make anew, and only the lists the edit touches are made again."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, generated_corpus

from compiler.checks import pipeline
from compiler.publish import view_cache
from compiler.publish.view_cache import KeptViews, view_digest
from compiler.publish.views import publication_view, to_publish


def _views(catalogue: Path, folder: Path, as_of=AS_OF) -> tuple[KeptViews, list, list]:
    """The views a build takes through the cache, the views made anew, and which lists were made."""
    check = pipeline.check([catalogue], as_of, folder)
    kept = KeptViews(folder, check)
    made: list[str] = []
    real = view_cache.publication_view

    def making(result, whole):
        made.append(result.entry.model.id)
        return real(result, whole)

    view_cache.publication_view = making
    try:
        through = [kept.view(r) for r in to_publish(check)]
    finally:
        view_cache.publication_view = real
    fresh = [publication_view(r, check) for r in to_publish(check)]
    assert through == fresh
    assert [kept.digest(v) for v in through] == [view_digest(v) for v in fresh]
    return kept, made, fresh


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def national(tmp_path: Path) -> Path:
    return generated_corpus(tmp_path / "national", provinces=1, cities=2, counties=3)


def _first(root: Path, level: str) -> Path:
    return sorted((root / level).rglob("*.yaml"))[0]


def _id(path: Path) -> str:
    return re.search(r"^id: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)


EDITS: dict[str, Callable[[Path], object]] = {}


def edit(fn: Callable[[Path], object]) -> Callable[[Path], object]:
    """An edit of the catalogue; it returns the ids whose views it changes, "all", or None (some, not all)."""
    EDITS[fn.__name__] = fn
    return fn


@edit
def a_county_phone(root: Path) -> set[str]:
    county = _first(root, "counties")
    _replace(county, 'phone: "', 'phone: "9')
    return {_id(county)}


@edit
def a_city_provision_text(root: Path) -> None:
    """Its counties show the city's wording of what they fulfil: they are made again."""
    city = _first(root, "cities")
    _replace(city, "text: ", "text: 按规定", 1)


@edit
def a_department_name(root: Path) -> str:
    """Every page names departments from the registry: every view is made again."""
    _replace(root / "departments.yaml", "name: ", "name: 改名后的", 1)
    return "all"


@edit
def an_earlier_edition_added(root: Path) -> None:
    """The city's page now says what changed since its first edition, and links its PDF."""
    city = _first(root, "cities")
    shutil.copy(city, city.with_name(f"{city.stem}-1.yaml"))
    _replace(city, "\nedition: 1\n", "\nedition: 2\n")


@edit
def a_duplicate_of_an_edition(root: Path) -> None:
    county = _first(root, "counties")
    shutil.copy(county, county.with_name(f"zzz-{county.name}"))


@edit
def a_review_record(root: Path) -> None:
    city = _first(root, "cities")
    (root / "reviews").mkdir(exist_ok=True)
    (root / "reviews" / f"{_id(city)}@1.yaml").write_text(
        f"list: {_id(city)}\nedition: 1\nreceived: 2025-03-01\ndecision: accepted\n", encoding="utf-8")


@pytest.mark.parametrize("name", EDITS)
def test_every_kept_view_is_the_view_made_anew(national, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    root = Path("national")
    folder = tmp_path / "cache"
    _, made, fresh = _views(root, folder)
    assert sorted(made) == sorted(v.id for v in fresh)  # an empty cache: every view made
    _, made, _ = _views(root, folder)
    assert made == []  # nothing changed: every view kept
    expected = EDITS[name](root)
    _, made, fresh = _views(root, folder)
    if expected == "all":
        assert sorted(made) == sorted(v.id for v in fresh)
    else:
        assert 0 < len(made) < len(fresh)  # only what the edit touches
        assert expected is None or set(made) == expected


def test_another_day_makes_the_views_again(national, tmp_path, monkeypatch):
    """Deadlines are counted from the day: a view of another day is never taken for today's."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "cache"
    _views(Path("national"), folder)
    _, made, fresh = _views(Path("national"), folder, AS_OF + dt.timedelta(days=400))
    assert sorted(made) == sorted(v.id for v in fresh)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=qingdan", "-c", "user.email=qingdan@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def test_a_new_commit_with_an_earlier_edition_makes_its_view_again(tmp_path, monkeypatch):
    """The previous edition may come from git: the same file after a commit of its first edition has
    a 本版变化 it did not have before, though its bytes are the same."""
    monkeypatch.chdir(tmp_path)
    catalogue = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, catalogue)
    city = catalogue / "cities" / "xiamen.yaml"
    first = city.read_text(encoding="utf-8")
    second = re.sub(r"^edition: 1$", "edition: 2", first, count=1, flags=re.M)
    city.write_text(second, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "catalogue/departments.yaml")
    _git(tmp_path, "commit", "-qm", "registry")  # xiamen.yaml not in any commit: no history
    folder = tmp_path / "cache"
    _, _, fresh = _views(Path("catalogue"), folder)
    assert next(v for v in fresh if v.id == "xiamen").editions is None

    city.write_text(first, encoding="utf-8")
    _git(tmp_path, "add", "catalogue/cities/xiamen.yaml")
    _git(tmp_path, "commit", "-qm", "xiamen, edition 1")
    city.write_text(second, encoding="utf-8")  # the same bytes as before the commit
    _, made, fresh = _views(Path("catalogue"), folder)
    assert "xiamen" in made
    assert next(v for v in fresh if v.id == "xiamen").editions is not None


def test_without_a_cache_folder_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    check = pipeline.check([Path("catalogue")], AS_OF)
    kept = KeptViews(None, check)
    assert check.keys == {}
    assert [kept.view(r) for r in to_publish(check)] == [publication_view(r, check) for r in to_publish(check)]


def test_an_edit_of_an_earlier_edition_makes_the_current_view_again(national, tmp_path, monkeypatch):
    """The current edition's page lists what changed since the earlier one: an edit of the earlier
    file alone (the current file and its floors unchanged) changes it."""
    monkeypatch.chdir(tmp_path)
    root, folder = Path("national"), tmp_path / "cache"
    city = _first(root, "cities")
    earlier = city.with_name(f"{city.stem}-1.yaml")
    shutil.copy(city, earlier)
    _replace(city, "\nedition: 1\n", "\nedition: 2\n")
    _views(root, folder)
    _replace(earlier, "text: ", "text: 按规定", 1)
    _, made, fresh = _views(root, folder)
    assert _id(city) in made
    current = next(v for v in fresh if v.id == _id(city))
    assert current.editions is not None and current.editions.changes


@pytest.mark.parametrize("record", ["r.yaml", "zz-{id}@1.yaml"])
def test_a_review_record_applies_by_what_it_says_whatever_its_file_is_called(national, tmp_path, monkeypatch, record):
    """A record is applied to the list it names; its file name need not start with that id. A change
    to it changes the list's findings and view, kept or not."""
    monkeypatch.chdir(tmp_path)
    root, folder = Path("national"), tmp_path / "cache"
    city = _first(root, "cities")
    (root / "reviews").mkdir()
    path = root / "reviews" / record.format(id=_id(city))
    path.write_text(f"list: {_id(city)}\nedition: 1\nreceived: 2025-03-01\n", encoding="utf-8")
    _views(root, folder)
    path.write_text(f"list: {_id(city)}\nedition: 1\nreceived: 2025-03-28\n", encoding="utf-8")
    _, made, through = _views(root, folder)
    assert _id(city) in made
    uncached = pipeline.check([root], AS_OF)
    assert through == [publication_view(r, uncached) for r in to_publish(uncached)]
    assert next(v for v in through if v.id == _id(city)).filed == dt.date(2025, 3, 28)
