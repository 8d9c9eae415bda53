"""`qingdan check` reports what the reference check of the whole catalogue (`pipeline.check_files`)
reports for the files asked about, whether it loads in this process or in one worker per core,
whether its caches are empty or warm, on catalogues with every kind of trouble a file can have."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, generated_corpus

from compiler.checks import catalogue_check, pipeline, shard_pool
from compiler.cli import main
from compiler.output import sarif
from compiler.output import text as formats
from compiler.source.inputs import inputs


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "national"
    generated_corpus(out, counties=6)
    return out


def _troubled(root: Path) -> None:
    """Every kind of file trouble at once, among valid lists."""
    counties = sorted((root / "counties").rglob("*.yaml"))
    cities = sorted((root / "cities").rglob("*.yaml"))
    first, second = counties[0], counties[1]
    shutil.copy(first, first.parent / "aaa-duplicate.yaml")  # the same edition, held first by the copy
    (first.parent / "zzz-syntax.yaml").write_text("id: broken\nedition: [1\n", encoding="utf-8")
    (first.parent / "zzz-invalid.yaml").write_text("id: half\nedition: 1\n", encoding="utf-8")
    (first.parent / "zzz-binary.yaml").write_bytes(b"\x00\x01\x02id: x")
    (first.parent / "zzz-dupkey.yaml").write_text(
        first.read_text(encoding="utf-8").replace("id: ", "id: dupkey-x\nid: ", 1), encoding="utf-8")
    text = second.read_text(encoding="utf-8")
    assert "floor: {list: " in text
    second.write_text(text.replace("floor: {list: ", "floor: {list: nowhere-", 1), encoding="utf-8")
    city = cities[0].read_text(encoding="utf-8")
    cities[0].write_text(city.replace("text: ", "text: 有条件的地方", 1), encoding="utf-8")
    (root / "reviews").mkdir(exist_ok=True)
    city_id = cities[1].stem
    (root / "reviews" / f"{city_id}@1.yaml").write_text(
        f"list: {city_id}\nedition: 1\nreceived: 2025-03-01\ndecision: accepted\n", encoding="utf-8")
    (root / "reviews" / "gone@3.yaml").write_text("list: gone\nedition: 3\n", encoding="utf-8")  # an orphan record
    (root / "reviews" / "bad@1.yaml").write_text("list: [\n", encoding="utf-8")


def _sharded(monkeypatch, on: bool = True) -> list[int]:
    """Load in workers from the first file (or never); returns the pools' sizes as they are made.

    Forking is allowed even where the test runner keeps a thread of its own (the check refuses to
    fork beside other threads; these children only load and check)."""
    sizes: list[int] = []
    real = shard_pool.shard_pool

    def recording(local, processes):
        sizes.append(processes)
        return real(local, processes)

    monkeypatch.setattr(catalogue_check, "SHARD_FILES", 1 if on else 10**9)
    monkeypatch.setattr(catalogue_check.workers, "can_fork", lambda: True)
    monkeypatch.setattr(catalogue_check.workers, "cores", lambda: 2)
    monkeypatch.setattr(catalogue_check, "shard_pool", recording)
    return sizes


def _reference(paths: list[Path]) -> dict[str, str]:
    found = inputs(paths)
    result = pipeline.check_files(found.root, found.files, found.reported, AS_OF)
    return {"text": formats.text(result), "json": formats.to_json(result), "sarif": sarif.to_sarif(result),
            "en": formats.text(result, "en")}


def _ours(paths: list[Path], folder: Path | None) -> dict[str, str]:
    report = catalogue_check.check_catalogue(inputs(paths), AS_OF, folder)
    return {"text": formats.text(report), "json": formats.to_json(report), "sarif": sarif.to_sarif(report),
            "en": formats.text(report, "en")}


def _questions(root: Path) -> list[list[Path]]:
    """The whole catalogue, and single files of every kind (valid, duplicate, broken, a review record)."""
    files = sorted(p for p in root.rglob("*.yaml") if p.name != "departments.yaml")
    singles = [p for p in files if "zzz" in p.name or "aaa" in p.name or "reviews" in p.parts][:6]
    singles += [files[0], files[len(files) // 2], files[-1]]
    return [[root], *([p] for p in singles), singles[:3]]


@pytest.mark.parametrize("sharded", [False, True], ids=["one process", "one worker per core"])
def test_reports_equal_the_reference_check(generated, tmp_path, monkeypatch, sharded):
    root = tmp_path / "catalogue"
    shutil.copytree(generated, root)
    _troubled(root)
    monkeypatch.chdir(tmp_path)
    sizes = _sharded(monkeypatch, sharded)
    for paths in _questions(Path("catalogue")):
        expected = _reference(paths)
        assert _ours(paths, None) == expected, paths  # no cache
        assert _ours(paths, tmp_path / "cache") == expected, paths  # caches filled (or partly used)
        assert _ours(paths, tmp_path / "cache") == expected, paths  # caches warm
    assert (2 in sizes) == sharded  # the workers were really used (the first check of each kind loads everything)


def test_the_bundled_catalogue_with_its_review_records(tmp_path, monkeypatch):
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    monkeypatch.chdir(tmp_path)
    assert any((root / "reviews").iterdir())
    expected = _reference([Path("catalogue")])
    for shard_files in (1, 10**9):
        _sharded(monkeypatch, shard_files == 1)
        assert _ours([Path("catalogue")], None) == expected
        assert _ours([Path("catalogue")], tmp_path / f"cache-{shard_files}") == expected
        assert _ours([Path("catalogue")], tmp_path / f"cache-{shard_files}") == expected


def test_a_worker_that_fails_is_reported_not_hung(generated, tmp_path, monkeypatch, capsys):
    """A bug in a worker surfaces as an error in the parent, and no worker is left behind."""
    from compiler.checks import shard

    root = tmp_path / "catalogue"
    shutil.copytree(generated, root)
    monkeypatch.chdir(tmp_path)
    _sharded(monkeypatch)

    def broken(self, task):
        raise ValueError("boom in a worker")

    monkeypatch.setattr(shard.Shard, "check", broken)
    from compiler.checks.shard_pool import WorkerFailed

    with pytest.raises(WorkerFailed, match="boom in a worker"):
        catalogue_check.check_catalogue(inputs([Path("catalogue")]), AS_OF, None)
    import multiprocessing

    assert multiprocessing.active_children() == []


def test_the_cli_answers_a_large_check_from_workers(generated, tmp_path, monkeypatch, capsys):
    root = tmp_path / "catalogue"
    shutil.copytree(generated, root)
    monkeypatch.chdir(tmp_path)
    assert _sharded(monkeypatch) is not None
    code = main(["check", "catalogue", "--as-of", AS_OF.isoformat(), "--no-cache"])
    assert capsys.readouterr().out == _reference([Path("catalogue")])["text"]
    assert code in (0, 1)


def _id(path: Path) -> str:
    return next(line[4:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("id: "))


def _kept_keys(folder: Path) -> set[str]:
    return {p.name for p in (folder / "check" / "store" / "findings").rglob("*") if p.is_file()}


def _summaries(result: pipeline.CheckResult) -> list[tuple]:
    """What the views and the report read of each list's result, beyond the printed report."""
    return [(r.entry.doc.name, r.compliant, r.deadlines, r.errors, r.warnings, r.deviations, r.accepted,
             r.floor.doc.name if r.floor else None, r.match is not None) for r in result.lists]


def test_build_and_check_keep_and_find_each_others_findings(generated, tmp_path, monkeypatch):
    """`build` checks with `pipeline.check_files`; with a cache folder it keeps each list's findings
    under the key `check` computes from its index, so either finds what the other kept, and a hit
    gives exactly what checking the list again gives."""
    root = tmp_path / "catalogue"
    shutil.copytree(generated, root)
    _troubled(root)
    counties = sorted(p for p in (root / "counties").rglob("*.yaml") if not p.name.startswith(("aaa", "zzz")))
    a, b = counties[-1], counties[-2]  # a cycle: each the other's floor
    for one, other in ((a, b), (b, a)):
        text = one.read_text(encoding="utf-8")
        start = text.index("floor: {list: ") + len("floor: {list: ")
        end = text.index(",", start)
        one.write_text(text[:start] + _id(other) + text[end:], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _sharded(monkeypatch, False)
    found = inputs([Path("catalogue")])
    reference = pipeline.check_files(found.root, found.files, found.reported, AS_OF)

    catalogue_check.check_catalogue(found, AS_OF, tmp_path / "by-check")
    built = pipeline.check_files(found.root, found.files, found.reported, AS_OF, tmp_path / "by-build")
    assert _kept_keys(tmp_path / "by-check") == _kept_keys(tmp_path / "by-build")
    assert len(_kept_keys(tmp_path / "by-check")) == len(reference.lists)
    assert formats.text(built) == formats.text(reference)

    checked: list[str] = []
    real = pipeline.check_list
    monkeypatch.setattr(pipeline, "check_list", lambda entry, *rest: checked.append(entry.doc.name) or real(entry, *rest))
    recalled = pipeline.check_files(found.root, found.files, found.reported, AS_OF, tmp_path / "by-check")
    assert checked == []  # every list's findings were the ones `check` kept
    assert formats.text(recalled) == formats.text(reference)
    assert formats.to_json(recalled) == formats.to_json(reference)
    assert _summaries(recalled) == _summaries(reference)

    city = sorted((root / "cities").rglob("*.yaml"))[2]
    city.write_text(city.read_text(encoding="utf-8").replace('phone: "', 'phone: "9', 1), encoding="utf-8")
    found = inputs([Path("catalogue")])
    edited = pipeline.check_files(found.root, found.files, found.reported, AS_OF, tmp_path / "by-check")
    named = city.relative_to(tmp_path).as_posix()
    below = {r.entry.doc.name for r in edited.lists if any(e.doc.name == named for e in edited.corpus.chain(r.entry))}
    assert sorted(checked) == sorted(below) and len(below) > 1  # the city and the lists on it, no others
    fresh = pipeline.check_files(found.root, found.files, found.reported, AS_OF)
    assert formats.text(edited) == formats.text(fresh)
    assert _summaries(edited) == _summaries(fresh)


def test_an_edit_of_a_misnamed_review_record_is_seen_through_the_cache(generated, tmp_path, monkeypatch):
    """A review record applies to the list it names, whatever its file is called: editing it
    re-checks that list, so its receipt date and findings are never the old record's."""
    root = tmp_path / "catalogue"
    shutil.copytree(generated, root)
    monkeypatch.chdir(tmp_path)
    city = sorted((root / "cities").rglob("*.yaml"))[0]
    (root / "reviews").mkdir()
    record = root / "reviews" / "received.yaml"
    for received in ("2025-03-01", "2025-03-28"):
        record.write_text(f"list: {_id(city)}\nedition: 1\nreceived: {received}\n", encoding="utf-8")
        for sharded in (False, True):
            _sharded(monkeypatch, sharded)
            assert _ours([Path("catalogue")], tmp_path / "cache") == _reference([Path("catalogue")]), received
