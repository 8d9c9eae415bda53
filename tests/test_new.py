"""`qingdan new`: a list generated from its floor passes `check` with only its TODO markers to fill in."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from compiler.authoring.new_list import derive_id
from compiler.authoring.new_text import scalar
from compiler.cli import main
from compiler.errors import UsageError
from compiler.output.atomic import write_new

TODO = re.compile("TODO")
FILLS = {"issuer": "漳平市民政局等部门", "department": "漳平市民政局", "phone": '"0597-12345"',
         "where": "居住地社区卫生服务中心", "materials": "[居住证]", "document_number": "漳民〔2025〕1号"}


def new(*args: str, cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    """Run `qingdan new` in-process from `cwd`; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(cwd)
    code = main(["new", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def warnings_and_errors(report: dict, name: str) -> list[tuple[str, int, int]]:
    return sorted((d["code"], d["line"], d["column"]) for d in report["diagnostics"]
                  if d["file"].endswith(name) and d["severity"] != "info")


def todo_positions(text: str) -> list[tuple[str, int, int]]:
    return sorted(("QD111", n, m.start() + 1) for n, line in enumerate(text.splitlines(), 1)
                  for m in [TODO.search(line)] if m)


def fill_in(text: str, issued: str, filed: str | None) -> str:
    """What a bureau does with the draft: answer every TODO, drop `draft`, set the dates."""
    out: list[str] = []
    for line in text.splitlines():
        if "TODO" not in line:
            out.append(line)
            continue
        indent, key = re.match(r"(\s*)(\w+):", line).groups()
        if key == "issued":
            out += [f"issued: {issued}"] + ([f"filed: {filed}"] if filed else [])
        elif key != "draft":
            out.append(f"{indent}{key}: {FILLS[key]}")
    return "\n".join(out) + "\n"


def test_fresh_city_list_has_only_todo_warnings(catalogue_copy, run_check, capsys, monkeypatch):
    """A new city list from the provincial floor: no error, and a QD111 warning at every TODO marker."""
    code, out, _ = new("漳平市", "--floor", "fujian@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    path = catalogue_copy / "cities" / "zhangping.yaml"
    assert code == 0 and "catalogue/cities/zhangping.yaml" in out
    text = path.read_text(encoding="utf-8")
    status, report = run_check(path, cwd=catalogue_copy.parent)
    assert status == 0
    assert warnings_and_errors(report, "zhangping.yaml") == todo_positions(text)
    assert len(todo_positions(text)) == 66 and "66 处待填写" in out
    row = report["catalogues"][0]
    assert (row["level"], row["floor"], row["draft"], row["compliant"], row["filing_status"]) == \
        ("city", "fujian@1", True, True, "not_applicable")


def test_filled_in_city_list_has_no_warnings(catalogue_copy, run_check, capsys, monkeypatch):
    """Once every TODO is answered and the list issued and filed, check reports no warning (QD409, the calendar caveat, apart)."""
    new("漳平市", "--floor", "fujian@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    path = catalogue_copy / "cities" / "zhangping.yaml"
    path.write_text(fill_in(path.read_text(encoding="utf-8"), "2025-06-03", "2025-06-10"), encoding="utf-8")
    status, report = run_check(path, as_of=dt.date(2025, 7, 1), cwd=catalogue_copy.parent)
    assert status == 0
    assert [d for d in warnings_and_errors(report, "zhangping.yaml") if d[0] != "QD409"] == []
    row = report["catalogues"][0]
    assert (row["draft"], row["compliant"], row["filing_status"], row["renewal_status"]) == (False, True, "on_time", "on_track")


def test_county_list_from_its_city(catalogue_copy, run_check, capsys, monkeypatch):
    """A county list takes its city's list as floor: county departments, the city's own additions, no deadlines."""
    code, out, _ = new("永泰县", "--floor", "fuzhou@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    path = catalogue_copy / "counties" / "yongtai.yaml"
    assert code == 0 and "县级清单" in out
    text = path.read_text(encoding="utf-8")
    assert "level: county" in text and "covers: [fz-summer-1]" in text and "市卫健委" not in text
    assert "departments: [县卫健局, 县疾控局]" in text
    assert "filed" not in text  # the plan sets no filing duty for counties
    _, report = run_check(path, cwd=catalogue_copy.parent)
    assert warnings_and_errors(report, "yongtai.yaml") == todo_positions(text)
    assert "sample: true" in text and "（示例）" in text  # built on a sample floor, it is a sample too


def test_generated_list_explains_its_fields_once(catalogue_copy, capsys, monkeypatch):
    """Each field is explained by a Chinese comment at its first occurrence only; the first line names the schema."""
    (catalogue_copy.parent / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "catalogue.schema.json", catalogue_copy.parent / "schema")
    new("漳平市", "--floor", "fujian@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    path = catalogue_copy / "cities" / "zhangping.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    target = lines[0].split("$schema=", 1)[1]
    assert lines[0].startswith("# yaml-language-server:")
    assert (path.parent / target).resolve() == (catalogue_copy.parent / "schema" / "catalogue.schema.json").resolve()
    for comment in ("# 承诺程度", "# 落实底线的哪一条", "# 责任部门：", "# 服务对象：范围不得比底线窄"):
        assert sum(comment in line for line in lines) == 1, comment
    assert sum("commitment:" in line for line in lines) == 52


def test_floor_errata_are_applied_to_the_new_text(catalogue_copy, capsys, monkeypatch):
    """A transcription loss the floor records as an erratum is corrected in the new list's text, and says so."""
    new("漳平市", "--floor", "fujian@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    text = (catalogue_copy / "cities" / "zhangping.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "点亮梦想" in line and "text:" in line)
    assert "新华书店“见书香,点亮梦想”读书角" in line and "勘误" in line


def test_missing_counterpart_is_a_todo(catalogue_copy, capsys, monkeypatch):
    """A floor department with no local counterpart in the registry is named in a TODO and in the command's note."""
    registry = catalogue_copy / "departments.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("  - id: 县疾控局\n    name: 县（市、区）疾病预防控制局\n    level: county\n"
                                     "    functions: [疾病预防控制]\n", ""), encoding="utf-8")
    code, out, _ = new("永泰县", "--floor", "fuzhou@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and "注意" in out and "市疾控局" in out
    line = next(line for line in (catalogue_copy / "counties" / "yongtai.yaml").read_text(encoding="utf-8").splitlines()
                if line.strip().startswith("departments: [县卫健局]"))
    assert "TODO" in line and "市疾控局" in line and "deviations" in line


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["漳平市", "--floor", "nowhere@1"], "不在清单目录中"),
        (["漳平市", "--floor", "fujian@9"], "没有第 9 版"),
        (["漳平市", "--floor", "Fujian 1"], "清单编号@版本号"),
        (["漳平市", "--floor", "fujian@1", "--id", "Zhang_Ping"], "不合法"),
        (["漳平市", "--floor", "fujian@1", "--id", "fuzhou", "--out", "catalogue/zp.yaml"], "已被 catalogue/cities/fuzhou.yaml 使用"),
        (["漳平市", "--floor", "fujian@1", "--out", "catalogue/cities/xiamen.yaml"], "文件已存在"),
        (["永泰县", "--floor", "fuzhou@1", "--level", "city"], "不是市级清单"),
        (["某镇", "--floor", "minhou@1", "--id", "mouzhen"], "最低一级"),
        (["!!!", "--floor", "fujian@1"], "--id"),
        (["漳平市", "--floor", "fujian@1", "no-such-folder"], "清单目录不存在"),
        (["漳平市", "--floor", "fujian@1", "--out", "elsewhere/zp.yaml"], "须在清单目录 catalogue 之内"),
    ],
    ids=["unknown-floor", "unknown-edition", "bad-floor", "bad-id", "id-taken", "existing-file", "wrong-level",
         "lowest-level", "no-id-from-name", "no-catalogue", "out-of-catalogue"],
)
def test_failures_exit_2_and_write_nothing(args, message, catalogue_copy, capsys, monkeypatch):
    """Each impossible request exits 2 with a Chinese message naming the problem, and leaves the catalogue as it was."""
    before = _digest(catalogue_copy.parent)
    code, out, err = new(*args, cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert _digest(catalogue_copy.parent) == before


def test_second_run_does_not_overwrite(catalogue_copy, capsys, monkeypatch):
    """Running `new` twice for the same list keeps the first file, edits and all, and exits 2."""
    new("漳平市", "--floor", "fujian@1", cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    path = catalogue_copy / "cities" / "zhangping.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("TODO：咨询电话", "0597-1", 1), encoding="utf-8")
    edited = path.read_bytes()
    code, _, err = new("漳平市", "--floor", "fujian@1", "--out", "catalogue/cities/zhangping.yaml",
                       cwd=catalogue_copy.parent, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and "文件已存在" in err
    assert path.read_bytes() == edited


def test_write_new_is_all_or_nothing(tmp_path):
    """write_new refuses an existing file and leaves no temporary file behind, either way."""
    target = tmp_path / "a" / "list.yaml"
    write_new(target, "id: x\n")
    with pytest.raises(UsageError):
        write_new(target, "id: y\n")
    assert target.read_text(encoding="utf-8") == "id: x\n"
    assert [p.name for p in target.parent.iterdir()] == ["list.yaml"]


def test_real_process_exit_status(catalogue_copy):
    """In a real process, an unknown floor exits 2 with the message on stderr and no traceback."""
    bad = subprocess.run([sys.executable, "-m", "compiler", "new", "漳平市", "--floor", "nowhere@1"],
                         cwd=catalogue_copy.parent, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("qingdan: 底线清单“nowhere”") and "Traceback" not in bad.stderr


def test_english_and_newest_edition(catalogue_copy, capsys, monkeypatch):
    """--floor without an edition takes the newest issued one; --lang en reports in English."""
    code, out, _ = new("漳平市", "--floor", "fujian", "--lang", "en", cwd=catalogue_copy.parent,
                       capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and out.startswith("wrote catalogue/cities/zhangping.yaml") and "floor fujian@1" in out


@pytest.mark.parametrize(("name", "expected"), [("福州市", "fuzhou"), ("闽侯县", "minhou"), ("平潭综合实验区", "pingtan"),
                                                ("鼓楼区", "gulou"), ("长汀县", "changting")])
def test_ids_are_spelt_in_pinyin(name, expected):
    """Without --id, the list id is the jurisdiction's name in pinyin, without its 市/县/区."""
    assert derive_id(name) == expected


_LOADER = YAML(typ="safe")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30))
def test_scalars_read_back_unchanged(value):
    """Every text the generator writes, plain or quoted, in a block or inside [...], loads back as the same text."""
    assert _LOADER.load(f"k: {scalar(value)}\n") == {"k": value}
    assert _LOADER.load(f"k: [{scalar(value, flow=True)}]\n") == {"k": [value]}


def test_a_draft_edition_supersedes_nothing(catalogue_copy, run_check):
    """A draft of a list's next edition leaves the issued edition current: no 'superseded', no newer-floor warning."""
    text = (catalogue_copy / "cities" / "fuzhou.yaml").read_text(encoding="utf-8")
    draft = text.replace("edition: 1\nissued: 2025-03-10\nfiled: 2025-03-18\n", "edition: 2\ndraft: true\nissued: 2026-11-01\n", 1)
    assert draft != text
    (catalogue_copy / "cities" / "fuzhou-2.yaml").write_text(draft, encoding="utf-8")
    _, report = run_check(catalogue_copy, cwd=catalogue_copy.parent)
    rows = {(c["id"], c["edition"]): c for c in report["catalogues"]}
    assert rows[("fuzhou", 1)]["renewal_status"] == "on_track"
    assert rows[("fuzhou", 2)]["renewal_status"] == "not_applicable"
    assert not [d for d in report["diagnostics"] if d["code"] in ("QD208", "QD410")]
