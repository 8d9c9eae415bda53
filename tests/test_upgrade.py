"""`qingdan upgrade`: a list moves onto a new floor edition, gains skeletons, and keeps every other byte.

Each test works on a copy of the bundled catalogue with a second edition of the provincial
list beside the first (`fujian-2.yaml`, made by the edits in EDITION_2): it raises a standard
(s01-2: 3 → 6 岁), strengthens a commitment (s01-5: 有条件 → 保障), adds a provision in the
middle of an item (s03-7, after s03-2) and a new item at the end of a group (s21), and drops s19-2.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from compiler.cli import main

EDITION_2 = [
    ("edition: 1\nissued: 2025-01-09\n", "edition: 2\nissued: 2027-01-09\n"),
    ("            text: 为0-3岁儿童提供中医调养服务\n            commitment: 保障\n            standards:\n"
     "              - {name: 中医调养服务年龄上限, value: 3,",
     "            text: 为0-6岁儿童提供中医调养服务\n            commitment: 保障\n            standards:\n"
     "              - {name: 中医调养服务年龄上限, value: 6,"),
    ("            text: 有条件的地方就近提供托育服务\n            commitment: 有条件",
     "            text: 就近提供托育服务\n            commitment: 保障"),
    ("            text: 免除学杂费\n            commitment: 保障\n",
     "            text: 免除学杂费\n            commitment: 保障\n"
     "          - id: s03-7\n            text: 为随迁子女提供课后服务\n            commitment: 保障\n"),
    ("          - id: s19-2\n            text: 为流动儿童父母提供政策咨询、职业介绍、职业培训、创业指导等服务\n"
     "            commitment: 保障\n", ""),
    ("# 勘误：",
     "      - id: s21\n        row: 21\n        target:\n          text: 流动儿童\n        service: 假期托管服务\n"
     "        provisions:\n          - id: s21-1\n            text: 寒暑假期间提供免费托管服务\n            commitment: 保障\n"
     "        departments: [省教育厅, 团省委]\n# 勘误："),
]
CITY = "cities/fuzhou.yaml"


def _edit(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def catalogue(catalogue_copy: Path, monkeypatch) -> Path:
    """The catalogue copy with fujian edition 2 added; the working directory is its parent."""
    first = (catalogue_copy / "province" / "fujian.yaml").read_text(encoding="utf-8")
    (catalogue_copy / "province" / "fujian-2.yaml").write_text(_edit(first, EDITION_2), encoding="utf-8")
    monkeypatch.chdir(catalogue_copy.parent)
    return catalogue_copy


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _blocks(lines: list[str]) -> list[range]:
    """The skeleton blocks in an upgraded file: a line with the TODO comment and the deeper lines after it."""
    found = []
    for start, line in enumerate(lines):
        if "# TODO 按底线" in line:
            dash = len(line) - len(line.lstrip())
            end = start + 1
            while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > dash:
                end += 1
            found.append(range(start, end))
    return found


def _without_blocks(text: str) -> list[str]:
    lines = text.split("\n")
    inside = {n for b in _blocks(lines) for n in b}
    return [line for n, line in enumerate(lines) if n not in inside]


def test_check_warns_about_a_newer_floor_edition(catalogue, run_check):
    """QD208: a list on fujian@1 is told that fujian@2 exists, at its floor.edition value."""
    _, report = run_check(catalogue / CITY)
    found = [(d["code"], d["line"], d["column"]) for d in report["diagnostics"] if d["code"] == "QD208"]
    line = (catalogue / CITY).read_text(encoding="utf-8").splitlines().index("  edition: 1") + 1
    assert found == [("QD208", line, 12)]


def test_upgrade_moves_the_edition_and_adds_skeletons(catalogue, capsys, run_check):
    """The file is rewritten onto fujian@2: a provision under s03 after s03-2, an item s21 after s20, and the findings."""
    path = catalogue / CITY
    assert main(["upgrade", str(path)]) == 1  # the new floor finds errors
    out = capsys.readouterr().out
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert data["floor"] == {"list": "fujian", "edition": 2}
    s03 = data["groups"][1]["items"][0]
    assert [p["id"] for p in s03["provisions"]][:4] == ["s03-1", "s03-2", "s03-7", "s03-3"]
    assert s03["provisions"][2] == {"id": "s03-7", "text": "为随迁子女提供课后服务", "commitment": "保障", "covers": ["s03-7"]}
    last_group = next(g for g in data["groups"] if g["name"] == "发展保障")
    ids = [item["id"] for item in last_group["items"]]
    assert ids.index("s21") == ids.index("s20") + 1
    s21 = last_group["items"][ids.index("s21")]
    assert s21["departments"] == ["市教育局", "团市委"] and s21["provisions"][0]["covers"] == ["s21-1"]
    lines = path.read_text(encoding="utf-8").splitlines()

    def at(needle: str) -> str:
        return f"{CITY}:{next(n for n, line in enumerate(lines, 1) if needle in line)}:"

    assert f"catalogue/{at('value: 3, unit: 岁')}" in out and "QD305" in out
    assert f"catalogue/{at('commitment: 有条件')}25: 错误 QD304" in out
    assert f"catalogue/{at('- id: s03-7')}17: 提示 QD701" in out and f"catalogue/{at('- id: s21 ')}13: 提示 QD701" in out
    assert "QD210" in out  # fuzhou@1 was issued before fujian@2: it must be re-issued
    assert f"catalogue/{at('covers: [s19-2]')}22: 错误 QD201" in out  # a floor provision edition 2 dropped
    assert "新增 1 个服务项骨架、1 条条款骨架" in out
    _, report = run_check(path)
    codes = {d["code"] for d in report["diagnostics"] if d["catalogue"] == "fuzhou@1"}
    assert "QD208" not in codes and "QD301" not in codes and {"QD304", "QD305"} <= codes


def _full_of_comments(text: str) -> str:
    """Every line gets an end-of-line comment, every list element a blank line and a comment line above it,
    and some values change their quoting, so that a round trip that disturbs anything shows."""
    out = []
    for n, line in enumerate(text.splitlines()):
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if body.startswith("- "):
            out += ["", " " * indent + f"# 注释 {n}：说明下面这一项"]
        if body and not body.startswith("#") and "#" not in line:
            line += f"   # 行尾 {n}"
        out.append(line)
    text = "\n".join(out) + "\n"
    return _edit(text, [("jurisdiction: 福州市", "jurisdiction: '福州市'"), ("\n  phone: 0591-12345", '\n  phone: "0591-12345"')])


def test_upgrade_keeps_every_other_line_byte_for_byte(catalogue):
    """On a file full of comments, every original line survives unchanged except the edition line; the
    skeletons sit right after the content they follow, above the comment that leads the next element."""
    path = catalogue / CITY
    before = _full_of_comments(path.read_text(encoding="utf-8"))
    path.write_text(before, encoding="utf-8")
    assert main(["upgrade", str(path)]) == 1
    after = path.read_text(encoding="utf-8")
    old, kept = before.split("\n"), _without_blocks(after)
    changed = [n for n, (a, b) in enumerate(zip(old, kept)) if a != b]
    assert len(kept) == len(old) and [old[n] for n in changed] == ["  edition: 1   # 行尾 14"]
    assert kept[changed[0]] == "  edition: 2   # 行尾 14"
    lines = after.split("\n")
    blocks = _blocks(lines)
    assert len(blocks) == 2
    for b in blocks:
        assert "# 行尾" in lines[b.start - 1]  # the last content line of the element before, not a comment
        assert lines[b.stop] == "" and lines[b.stop + 1].lstrip().startswith("# 注释")


def test_dry_run_prints_a_diff_and_writes_nothing(catalogue, capsys):
    """--dry-run prints a unified diff of the would-be file and leaves the file as it was."""
    path = catalogue / CITY
    before = _digest(path)
    assert main(["upgrade", str(path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- catalogue/{CITY}\n+++ catalogue/{CITY}\n")
    assert "-  edition: 1\n+  edition: 2\n" in out and "+          - id: s03-7  # TODO" in out
    assert "预览，未写入" in out and "行列号指升级后的文件" in out
    assert _digest(path) == before


def test_to_names_an_edition_and_newer_ones_are_still_reported(catalogue, capsys):
    """--to 2 with a fujian@3 present upgrades to edition 2 and reports QD208 for edition 3."""
    second = (catalogue / "province" / "fujian-2.yaml").read_text(encoding="utf-8")
    (catalogue / "province" / "fujian-3.yaml").write_text(second.replace("edition: 2\n", "edition: 3\n", 1), encoding="utf-8")
    path = catalogue / CITY
    main(["upgrade", str(path), "--to", "2"])
    assert "QD208" in capsys.readouterr().out
    assert YAML(typ="safe").load(path.read_text(encoding="utf-8"))["floor"]["edition"] == 2


def test_new_group_goes_at_the_end(catalogue):
    """A floor item whose group the list lacks becomes a new group after the last one."""
    path = catalogue / CITY
    path.write_text(path.read_text(encoding="utf-8").replace("  - name: 发展保障\n", "  - name: 发展与保障\n"), encoding="utf-8")
    main(["upgrade", str(path)])
    groups = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["groups"]
    assert groups[-1]["name"] == "发展保障" and [i["id"] for i in groups[-1]["items"]] == ["s21"]


def test_a_taken_id_gets_a_fresh_one(catalogue):
    """A skeleton never reuses an id the list already has."""
    path = catalogue / CITY
    path.write_text(path.read_text(encoding="utf-8").replace("      - id: fz-summer\n", "      - id: s21\n"), encoding="utf-8")
    main(["upgrade", str(path)])
    ids = [i["id"] for g in YAML(typ="safe").load(path.read_text(encoding="utf-8"))["groups"] for i in g["items"]]
    assert ids.count("s21") == 1 and "s21-new" in ids


def test_bom_crlf_and_permissions_survive(catalogue):
    """A file with a BOM and CRLF line ends keeps both, and its permissions, after the upgrade."""
    path = catalogue / CITY
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o640)
    main(["upgrade", str(path)])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n") > 400
    assert b"  edition: 2\r\n" in raw and os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_two_space_sequences_are_kept(catalogue):
    """A file indented the other common way (sequences flush under their key) keeps that indentation."""
    path = catalogue / CITY
    text = path.read_text(encoding="utf-8")
    y = YAML()
    y.preserve_quotes, y.width = True, 4096
    y.indent(mapping=2, sequence=2, offset=0)
    from io import StringIO

    buf = StringIO()
    y.dump(y.load(text), buf)
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert "\n- name: 幼有所育\n" in buf.getvalue()
    main(["upgrade", str(path)])
    kept = _without_blocks(path.read_text(encoding="utf-8"))
    assert kept == buf.getvalue().replace("  edition: 1\n", "  edition: 2\n").split("\n")


FAILURES = {
    "already-newest": ([], [("province/fujian-2.yaml", None)], "最新版本"),
    "unknown-floor": ([], [(CITY, ("  list: fujian\n", "  list: fujain\n"))], "不在目录中"),
    "unknown-to": (["--to", "7"], [], "没有第 7 版"),
    "downgrade": (["--to", "1"], [(CITY, ("  edition: 1\n", "  edition: 2\n"))], "不能改回"),
    "broken-yaml": ([], [(CITY, ("title: 福州市", "title: [福州市"))], "QD101"),
    "invalid-list": ([], [(CITY, ("sample: true\n", "sample: true\nsampel: 1\n"))], "QD103"),
    "odd-indentation": ([], [(CITY, ("floor:\n  list: fujian\n  edition: 1\n", "floor:\n    list: fujian\n    edition: 1\n"))],
                        "缩进"),
    "no-floor": ([], [(CITY, ("floor:\n  list: fujian\n  edition: 1\n", ""))], "没有 floor"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failures_exit_2_in_chinese_and_change_nothing(case, catalogue, capsys):
    """Unknown floor, already newest, bad --to, broken or odd YAML: exit 2, a Chinese message, the file untouched."""
    extra, changes, expected = FAILURES[case]
    for name, change in changes:
        target = catalogue / name
        if change is None:
            target.unlink()
        else:
            target.write_text(target.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    path = catalogue / CITY
    before = _digest(path)
    assert main(["upgrade", f"catalogue/{CITY}", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qingdan: ") and expected in err and "内部错误" not in err
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(p.name for p in (catalogue / "cities").iterdir())


def test_a_folder_is_not_a_file(catalogue, capsys):
    """upgrade takes one file; a folder is a usage error."""
    assert main(["upgrade", str(catalogue / "cities")]) == 2
    assert "不是文件" in capsys.readouterr().err


def test_upgrade_and_new_copy_the_floor_through_one_builder(catalogue, capsys):
    """A skeleton `upgrade` adds carries what `new` writes for the same floor item: the erratum-corrected
    text (s18-2) and the same local departments."""
    city = catalogue / CITY
    text = city.read_text(encoding="utf-8")
    start = text.index("      - id: s18\n")
    end = text.index("      - id: s19\n")
    city.write_text(text[:start] + text[end:], encoding="utf-8")  # fuzhou without s18: upgrade adds it
    assert main(["upgrade", str(city), "--lang", "zh"]) in (0, 1)
    assert main(["new", "漳平市", "--floor", "fujian@2", str(catalogue)]) == 0
    capsys.readouterr()
    yaml = YAML(typ="safe")

    def s18(path: Path) -> dict:
        data = yaml.load(path.read_text(encoding="utf-8"))
        return next(i for g in data["groups"] for i in g["items"] if i["id"] == "s18")

    upgraded, fresh = s18(city), s18(catalogue / "cities" / "zhangping.yaml")
    assert [p["text"] for p in upgraded["provisions"]] == [p["text"] for p in fresh["provisions"]]
    assert any("“见书香" in p["text"] for p in upgraded["provisions"])  # the erratum applied
    assert upgraded["departments"] == fresh["departments"]
