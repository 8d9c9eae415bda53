"""`qingdan diff`: changes between two editions, regressions as errors, git revisions, bad input.

The comparisons are driven by the case file tests/cases/diff.yml; the tests below pin the
command's contract: exit statuses, positions in both files, the git form, the JSON shape the
README documents, and failures without tracebacks.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import CATALOGUE, ROOT
from conftest import apply_edits as _apply
from conftest import line_of as _position
from conftest import qingdan_cli as qingdan
from ruamel.yaml import YAML

from compiler.cli import main

CASES = YAML(typ="safe").load((Path(__file__).parent / "cases" / "diff.yml").read_text(encoding="utf-8"))
FUZHOU = CATALOGUE / "cities" / "fuzhou.yaml"
EDITION = re.compile(r"^edition: 1$", re.MULTILINE)


@pytest.fixture
def run_diff(capsys, monkeypatch):
    """Run `qingdan diff` in-process in a folder; returns (exit code, stdout, stderr)."""

    def run(*args: str, cwd: Path) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        code = main(["diff", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _editions(tmp_path: Path, edit: list[dict], edit_old: list[dict] | None = None,
              keep_edition: bool = False) -> tuple[str, str]:
    """Write old.yaml (Fuzhou, after `edit_old`) and new.yaml (old after `edit`); return the new text."""
    old = _apply(FUZHOU.read_text(encoding="utf-8"), edit_old or [])
    new = _apply(old, edit)
    if not keep_edition:
        new = EDITION.sub("edition: 2", new, count=1)
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    return old, new


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, tmp_path, run_diff):
    """The edit produces exactly the expected diagnostics, at their places in the new file, and exit status."""
    _, new = _editions(tmp_path, case["edit"], case.get("edit_old"), case.get("keep_edition", False))
    code, out, _ = run_diff("old.yaml", "new.yaml", "--format", "json", cwd=tmp_path)
    report = json.loads(out)
    found = report["changes"] + report["diagnostics"]
    if not case.get("keep_edition"):
        found = [d for d in found if not (d["code"] == "QD601" and d.get("field") == "edition")]
    assert {d["file"] for d in found} <= {"new.yaml"}
    got = sorted((d["code"], d["line"], d["column"]) for d in found)
    want = sorted((e["code"], _position(new, e["at"], e.get("after")), e["column"]) for e in case["expect"])
    assert got == want
    assert code == case["exit"] == report["summary"]["exit_code"]


def test_removed_provision_and_narrowed_age_are_regressions_in_text(tmp_path, run_diff):
    """The text report names both regressions at new-file positions, with the old places, and exits 1."""
    old, new = _editions(tmp_path, CASES[0]["edit"])
    code, out, _ = run_diff("old.yaml", "new.yaml", cwd=tmp_path)
    assert code == 1
    removed = next(b for b in out.split("\n\n") if "QD612" in b)
    assert removed.startswith(f"new.yaml:{_position(new, 'provisions:')}:9: 错误 QD612")
    assert "s01-2" in removed and "为0-3岁儿童提供中医调养服务" in removed
    assert f"old.yaml:{_position(old, '- id: s01-2')}:13 旧版条款 s01-2" in removed
    narrowed = next(b for b in out.split("\n\n") if "QD613" in b)
    assert "3-6岁 缩小为 4-6岁" in narrowed and "age: {min: 4, max: 6}" in narrowed
    assert "怎么改" in narrowed and "依据" in narrowed
    assert "低于旧版 2 处" in out


def test_json_reports_what_changed(tmp_path, run_diff):
    """Each JSON change says its kind, subject, id, field, old and new value, and whether it is a regression."""
    _editions(tmp_path, CASES[0]["edit"])
    _, out, _ = run_diff("old.yaml", "new.yaml", "--format", "json", cwd=tmp_path)
    report = json.loads(out)
    by_code = {c["code"]: c for c in report["changes"]}
    assert {k: by_code["QD612"][k] for k in ("kind", "subject", "id", "regression")} == \
        {"kind": "removed", "subject": "provision", "id": "s01-2", "regression": True}
    assert (by_code["QD613"]["field"], by_code["QD613"]["old"], by_code["QD613"]["new"]) == \
        ("target.age", {"min": 3, "max": 6}, {"min": 4, "max": 6})
    assert (by_code["QD601"]["old"], by_code["QD601"]["new"], by_code["QD601"]["regression"]) == (1, 2, False)
    assert (report["old"]["list"], report["new"]["list"]) == ("fuzhou@1", "fuzhou@2")
    assert report["summary"] == {"added": 0, "removed": 1, "changed": 2, "regressions": 2, "warnings": 0,
                                 "exit_code": 1}


def test_english(tmp_path, run_diff):
    """--lang en words messages and the summary in English."""
    _editions(tmp_path, CASES[0]["edit"])
    _, out, _ = run_diff("old.yaml", "new.yaml", "--lang", "en", cwd=tmp_path)
    assert "error QD613" in out and "narrowed from 3-6岁 to 4-6岁" in out
    assert "2 lower than the old edition" in out


def test_same_file_twice_has_no_changes(run_diff):
    """A list compared with itself: no changes, no edition warning, exit 0."""
    code, out, _ = run_diff("catalogue/cities/fuzhou.yaml", "catalogue/cities/fuzhou.yaml", cwd=ROOT)
    assert code == 0
    assert "两个版本没有差别" in out and "QD6" not in out


# ---- git revisions ---------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=qingdan", "-c", "user.email=qingdan@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git repository holding cities/fuzhou.yaml: edition 1 committed, then edition 2 committed."""
    (tmp_path / "cities").mkdir()
    city = tmp_path / "cities" / "fuzhou.yaml"
    city.write_bytes(FUZHOU.read_bytes())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "edition 1")
    text = EDITION.sub("edition: 2", FUZHOU.read_text(encoding="utf-8"), count=1)
    city.write_text(_apply(text, CASES[0]["edit"]), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "edition 2")
    return tmp_path


def test_git_revisions_are_read_and_named(repo, run_diff):
    """PATH@REV reads the committed file; diagnostics name the new side and relate to `PATH@REV` of the old."""
    code, out, _ = run_diff("cities/fuzhou.yaml@HEAD~1", "cities/fuzhou.yaml@HEAD", "--format", "json", cwd=repo)
    report = json.loads(out)
    assert code == 1
    assert (report["old"]["file"], report["old"]["revision"]) == ("cities/fuzhou.yaml@HEAD~1", "HEAD~1")
    removed = next(c for c in report["changes"] if c["code"] == "QD612")
    assert removed["file"] == "cities/fuzhou.yaml@HEAD"
    assert removed["related"][0]["file"] == "cities/fuzhou.yaml@HEAD~1"


def test_git_revision_against_the_working_file_from_another_folder(repo, run_diff, tmp_path_factory):
    """A revision is read in the repository that holds the file, whatever the working directory."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    city = repo / "cities" / "fuzhou.yaml"
    code, out, _ = run_diff(f"{city}@HEAD~1", str(city), cwd=elsewhere)
    assert code == 1 and "QD612" in out and f"{city}@HEAD~1" in out


def test_committed_file_in_another_encoding_is_a_finding_naming_the_revision(repo, run_diff):
    """The file at a revision gets the loader's rules: GBK content is QD100 at `PATH@REV`, exit 2."""
    (repo / "cities" / "fuzhou.yaml").write_bytes(FUZHOU.read_text(encoding="utf-8").encode("gb18030"))
    _git(repo, "commit", "-qam", "gbk")
    code, out, _ = run_diff("cities/fuzhou.yaml@HEAD", "cities/fuzhou.yaml@HEAD~1", cwd=repo)
    assert code == 2
    assert "cities/fuzhou.yaml@HEAD:1:1: 错误 QD100" in out and "GBK" in out


@pytest.mark.parametrize(
    ("old", "named"),
    [
        ("cities/fuzhou.yaml@HEAD~7", "HEAD~7"),
        ("cities/fuzhou.yaml@no-such-branch", "no-such-branch"),
        ("cities/xiamen.yaml@HEAD", "cities/xiamen.yaml"),
        ("cities@HEAD", "cities"),
        ("cities/fuzhou.yaml@--output=x", "--output=x"),
    ],
)
def test_bad_revision_or_path_is_named_and_exits_2(repo, run_diff, old, named):
    """A revision or path git does not have is a Chinese message naming it, exit 2."""
    code, out, err = run_diff(old, "cities/fuzhou.yaml", cwd=repo)
    assert code == 2 and out == ""
    assert err.startswith("qingdan: ") and named in err and re.search(r"[\u4e00-\u9fff]", err)
    assert not (repo / "x").exists()


def test_revision_outside_any_repository(tmp_path, run_diff):
    """PATH@REV where PATH is in no git repository says so, exit 2."""
    _editions(tmp_path, [])
    code, _, err = run_diff("old.yaml@HEAD", "new.yaml", cwd=tmp_path)
    assert code == 2 and "不在 git 仓库中" in err


# ---- failures ---------------------------------------------------------------------------------

def test_missing_file_is_a_usage_error_without_traceback(tmp_path):
    """A file that does not exist: exit 2, a Chinese message naming it, no traceback."""
    proc = qingdan("diff", "catalogue/cities/nowhere.yaml", "catalogue/cities/fuzhou.yaml")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "文件不存在：catalogue/cities/nowhere.yaml" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("side", ["old", "new"])
def test_broken_yaml_on_either_side_is_shown_and_exits_2(tmp_path, run_diff, side):
    """A syntax error on either side is reported at its line with the line shown; nothing is compared; exit 2."""
    _editions(tmp_path, [])
    broken = tmp_path / f"{side}.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("title: 福州市", "title: 福州市: ", 1), encoding="utf-8")
    code, out, _ = run_diff("old.yaml", "new.yaml", cwd=tmp_path)
    assert code == 2
    assert f"{side}.yaml:7:11: 错误 QD101" in out and "      7 | title: 福州市: 流动儿童" in out
    assert f"无法比较：{'旧版' if side == 'old' else '新版'}无法读取或格式错误" in out
    _, out, _ = run_diff("old.yaml", "new.yaml", "--format", "json", cwd=tmp_path)
    report = json.loads(out)
    assert (report["comparable"], report["changes"], report["summary"]["exit_code"]) == (False, [], 2)
    assert [d["code"] for d in report["diagnostics"]] == ["QD101"]


def test_invalid_list_is_not_compared(tmp_path, run_diff):
    """A side that parses but is not a valid list (a missing field) gets its validation finding, exit 2."""
    _editions(tmp_path, [{"old": "issuer: 福州市民政局等部门（示例）\n", "new": ""}])
    code, out, _ = run_diff("old.yaml", "new.yaml", cwd=tmp_path)
    assert code == 2 and "QD105" in out and "issuer" in out


def test_directory_is_a_usage_error(run_diff):
    """A folder is not a list: exit 2 with a message."""
    code, _, err = run_diff("catalogue/cities", "catalogue/cities/fuzhou.yaml", cwd=ROOT)
    assert code == 2 and "是文件夹" in err


# ---- documentation ----------------------------------------------------------------------------

def _readme_json_example() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `qingdan diff", 1)[1].split("\n### ", 1)[0]
    return json.loads(section.split("```json\n", 1)[1].split("```", 1)[0].replace("…", ""))


def test_readme_documents_the_json_shape(tmp_path, run_diff):
    """The README's JSON example has exactly the keys the command prints, at every level."""
    _editions(tmp_path, CASES[0]["edit"])
    _, out, _ = run_diff("old.yaml", "new.yaml", "--format", "json", cwd=tmp_path)
    real, documented = json.loads(out), _readme_json_example()
    assert real.keys() == documented.keys()
    for part in ("old", "new", "summary"):
        assert real[part].keys() == documented[part].keys()
    assert real["changes"][0].keys() == documented["changes"][0].keys()
    assert real["changes"][0]["related"][0].keys() == documented["changes"][0]["related"][0].keys()
