"""`qingdan check` answers from its cache only when nothing its output depends on has changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF

from compiler.cli import main


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    """A cache folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("QINGDAN_CACHE", str(folder))
    return folder


@pytest.fixture
def check(capsys, monkeypatch, catalogue_copy):
    """Run `qingdan check` in-process from the copy's parent folder; returns (exit code, output)."""
    monkeypatch.chdir(catalogue_copy.parent)

    def run(*args: str, as_of: str = AS_OF.isoformat()) -> tuple[int, str]:
        code = main(["check", "catalogue", "--as-of", as_of, *args])
        return code, capsys.readouterr().out

    return run


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "check").glob("[0-9a-f]*"))


def test_a_warm_run_prints_what_a_cold_run_printed(cache, check):
    """Second run: same exit code and output, byte for byte, as the first and as an uncached run."""
    cold = check()
    assert len(_entries(cache)) == 1
    assert check() == cold
    assert check("--no-cache") == cold
    assert cold[0] == 1 and "清单核查汇总" in cold[1]


def test_the_warm_answer_comes_from_the_cache(cache, check):
    """An entry whose inputs match is printed as stored (so a hit really skips the check)."""
    check()
    [entry] = _entries(cache)
    head, _ = entry.read_text(encoding="utf-8").split("\n", 1)
    entry.write_text(f"{head}\n（已缓存）\n", encoding="utf-8")
    assert check()[1] == "（已缓存）\n"
    assert check("--no-cache")[1] != "（已缓存）\n"


def test_a_changed_file_is_checked_again(cache, check, catalogue_copy):
    """Editing one city list changes the output to exactly what an uncached check prints."""
    before = check()
    city = catalogue_copy / "cities" / "xiamen.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("commitment: 保障", "commitment: 鼓励", 1), encoding="utf-8")
    after = check()
    assert after != before
    assert "QD304" in after[1]
    assert after == check("--no-cache")


@pytest.mark.parametrize("change", ["add", "remove", "unreadable"])
def test_a_file_added_removed_or_unreadable_is_noticed(cache, check, catalogue_copy, change):
    """The set of files and whether each can be read are inputs as much as their content."""
    before = check()
    city = catalogue_copy / "cities" / "longyan.yaml"
    if change == "add":
        (catalogue_copy / "cities" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    elif change == "remove":
        city.unlink()
    else:
        city.unlink()
        city.symlink_to(catalogue_copy / "cities" / "nowhere.yaml")  # a broken link: QD100
    after = check()
    assert after != before
    assert after == check("--no-cache")


def test_another_day_or_option_is_not_answered_from_this_one(cache, check):
    """The day checked and the output options are part of the key."""
    text = check()
    assert check(as_of="2027-06-01") != text
    assert check("--format", "json")[1].startswith("{")
    assert check("--lang", "en")[1] != text[1]
    assert check() == text


def test_a_repository_made_around_the_catalogue_is_noticed(cache, check, catalogue_copy):
    """SARIF names files relative to the repository: a new .git in the catalogue folder changes the answer."""
    before = check("--format", "sarif")
    (catalogue_copy / ".git").mkdir()  # hidden: no file of the catalogue changes
    after = check("--format", "sarif")
    assert after == check("--format", "sarif", "--no-cache")
    assert '"uri": "catalogue/cities/' in before[1]
    assert '"uri": "cities/' in after[1]


def test_a_damaged_entry_is_ignored(cache, check):
    """A truncated or garbled cache file costs a check, never a wrong answer."""
    cold = check()
    [entry] = _entries(cache)
    entry.write_bytes(b"\xff\xfe garbage")
    assert check() == cold
    entry.write_text("", encoding="utf-8")
    assert check() == cold


def test_no_cache_writes_nothing(cache, check):
    """With --no-cache the check neither reads nor writes the cache."""
    check("--no-cache")
    assert not (cache / "check").exists()


def test_an_unusable_cache_folder_does_not_fail_the_check(tmp_path, monkeypatch, check):
    """A cache path that cannot be a folder (a file is there) is ignored."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("QINGDAN_CACHE", str(blocker))
    first = check()
    assert check() == first
    assert first[0] == 1 and "清单核查汇总" in first[1]
