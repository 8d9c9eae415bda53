"""A large check loads the catalogue by floor tree and checks each list as soon as its chain is
loaded, keeping only floors in memory. The tree is guessed from each file's first lines; these
tests show that a guess, right or wrong, never changes what the check reports."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, generated_corpus
from test_catalogue_check import _ours, _reference, _sharded

from compiler.checks import catalogue_check, partition
from compiler.checks.shard import Shard, StreamTask
from compiler.domain.corpus import Departments
from compiler.review import records
from compiler.source.inputs import display_name


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("streaming") / "national"
    generated_corpus(out, provinces=3, cities=6, counties=14)
    return out


def _lists(root: Path) -> list[tuple[Path, str]]:
    return [(p, display_name(p)) for p in sorted(root.rglob("*.yaml")) if p.name != "departments.yaml"]


@pytest.mark.parametrize(("text", "expected"), [
    ("id: xiamen\nfloor:\n  list: fujian\n  edition: 1\n", ("xiamen", "fujian")),
    ("id: xiamen\nfloor:\n  edition: 2\n  list: 'fujian'\n", ("xiamen", "fujian")),
    ("id: \"xiamen\"  # 厦门\nfloor: {edition: 1, list: fujian}\n", ("xiamen", "fujian")),
    ("id: xiamen\nfloor:   # 上级清单\n  list: fujian\n", ("xiamen", "fujian")),
    ("id: fujian\nlevel: province\n", ("fujian", None)),
    ("level: city\n", (None, None)),
    ("# id: not-this\nid: this\n", ("this", None)),
    ("id: far\n" + "# 说明\n" * 2000 + "floor: {list: fujian, edition: 1}\n", ("far", None)),  # past what is read
])
def test_the_guess_reads_an_id_and_a_floor_from_the_first_lines(tmp_path, text, expected):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    found = partition.guess(path)
    assert (found.id, found.floor) == expected
    assert found.size == path.stat().st_size


def test_the_guess_never_opens_a_link_out_of_the_catalogue(tmp_path, monkeypatch):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: secret\nfloor: {list: x}\n", encoding="utf-8")
    root = tmp_path / "catalogue"
    root.mkdir()
    (root / "departments.yaml").write_text("departments: []\n", encoding="utf-8")
    (root / "link.yaml").symlink_to(outside)
    monkeypatch.chdir(root)
    opened = []
    real = open

    def spying(file, *args, **kwargs):
        opened.append(Path(file).resolve())
        return real(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spying)
    assert partition.guess(Path("link.yaml")) == partition.Guess(None, None, 0)
    assert outside.resolve() not in opened


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_each_file_is_reported_by_one_worker_and_floors_load_first(generated, workers):
    jobs = _lists(generated)
    guesses = {name: partition.guess(path) for path, name in jobs}
    shared = partition.partition(jobs, workers, guesses)
    owners = [name for share in shared.shares for name in share.owned]
    assert sorted(owners) == sorted(name for _, name in jobs)
    for share in shared.shares:
        assert [job for group in share.groups for job in group] == share.files
        place = {name: k for k, (_, name) in enumerate(share.files)}
        for _, name in share.files:  # every floor a worker has is loaded before the lists resting on it
            floor = guesses[name].floor
            for _, other in share.files:
                if guesses[other].id == floor:
                    assert place[other] < place[name], (other, name)
        for group in share.groups:
            assert len({guesses[n].id for _, n in group}) == 1
    assert shared.floors == {name for _, name in jobs if guesses[name].id in {g.floor for g in guesses.values()}}
    if workers > 1:
        weights = sorted(share.weight for share in shared.shares)
        assert weights[-1] < 1.6 * weights[0]  # whole subtrees, yet shared out evenly


def test_a_cycle_and_files_without_a_guess_are_still_shared_out(tmp_path):
    texts = {"a": "id: a\nfloor: {list: b, edition: 1}\n", "b": "id: b\nfloor: {list: a, edition: 1}\n",
             "c": "id: c\nfloor: {list: a, edition: 1}\n", "d": "level: county\n", "e": "id: e\nfloor: {list: e}\n"}
    jobs = []
    for name, text in texts.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        jobs.append((tmp_path / f"{name}.yaml", name))
    shared = partition.partition(jobs, 2)
    assert sorted(n for share in shared.shares for n in share.owned) == list(texts)
    assert shared.floors == {"a", "b", "e"}


def _floor(path: Path, list_id: str, edition: int) -> None:
    text, done = re.subn(r"^floor: \{[^}]*\}$", f"floor: {{list: {list_id}, edition: {edition}}}",
                         path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert done == 1
    path.write_text(text, encoding="utf-8")


def _mislead(root: Path) -> None:
    """Files whose first lines say something else than the file, or that the guess cannot read."""
    cities = sorted((root / "cities").rglob("*.yaml"))
    counties = sorted((root / "counties").rglob("*.yaml"))
    # A county whose floor is declared past what the guess reads.
    text = counties[0].read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    counties[0].write_text(head + "\n" + "# 备注\n" * 1500 + rest, encoding="utf-8")
    # An id behind an anchor: the guess takes the anchor for the id.
    text = counties[1].read_text(encoding="utf-8")
    counties[1].write_text(text.replace("\nid: ", "\nid: &mine ", 1), encoding="utf-8")
    # A newer edition of a city, in a folder far from the first, and a county resting on it.
    second = root / "zz-later" / cities[0].name
    second.parent.mkdir()
    city = cities[0].read_text(encoding="utf-8")
    second.write_text(city.replace("\nedition: 1\n", "\nedition: 2\n", 1), encoding="utf-8")
    _floor(counties[2], cities[0].stem, 2)
    # Two cities resting on each other.
    _floor(cities[2], cities[3].stem, 1)
    _floor(cities[3], cities[2].stem, 1)
    # A copy of a county holding its edition first, in a folder loaded later by the guess's order.
    shutil.copy(counties[3], root / "cities" / f"aa-{counties[3].name}")


@pytest.mark.parametrize("cores", [2, 3])
def test_misleading_files_give_the_reference_report(generated, tmp_path, monkeypatch, cores):
    root = tmp_path / "catalogue"
    shutil.copytree(generated, root)
    _mislead(root)
    monkeypatch.chdir(tmp_path)
    sizes = _sharded(monkeypatch)
    monkeypatch.setattr(catalogue_check.workers, "cores", lambda: cores)
    expected = _reference([Path("catalogue")])
    assert "QD206" in expected["text"]  # the copy is reported as repeating an edition
    assert "QD204" in expected["text"]  # the cycle
    assert _ours([Path("catalogue")], None) == expected
    assert _ours([Path("catalogue")], tmp_path / "cache") == expected
    assert _ours([Path("catalogue")], tmp_path / "cache") == expected
    assert cores in sizes


def test_a_well_formed_catalogue_is_checked_while_loading_and_only_floors_are_kept(generated):
    jobs = _lists(generated)
    shared = partition.partition(jobs, 1)
    share = shared.shares[0]
    names = [name for _, name in jobs]
    shard = Shard(Departments.from_model(None, None), records.Reviews(), AS_OF)
    done = shard.stream(StreamTask(share.groups, share.owned, set(names), shared.floors,
                                   {n: k for k, n in enumerate(names)}, dict.fromkeys(names, "digest")))
    lists = {name for name, info in done.infos if info.head is not None}
    assert set(done.checked) == lists  # every list, as soon as its floors were there
    counties = {name for name in lists if "/counties/" in f"/{name}"}
    assert counties and not counties & set(shard.held)
    assert set(shard.held) <= shared.floors
