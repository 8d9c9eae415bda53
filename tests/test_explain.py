"""`qingdan explain`, and lists that leave commitment and standards to their text."""

from __future__ import annotations

import json
import re

import pytest

from compiler.cli import main


def _strip_fields(text: str) -> str:
    """The list without any `commitment:` line or `standards:` block."""
    text = re.sub(r"\n +commitment: [^\n]*", "", text)
    return re.sub(r"\n( +)standards:\n(\1  - [^\n]*\n?)+", "\n", text)


@pytest.mark.parametrize("city", ["fuzhou", "xiamen"])
def test_fields_left_to_the_text_stay_compliant(catalogue_copy, run_check, city):
    path = catalogue_copy / "cities" / f"{city}.yaml"
    stripped = _strip_fields(path.read_text(encoding="utf-8"))
    assert "commitment:" not in stripped and "standards:" not in stripped
    path.write_text(stripped, encoding="utf-8")
    _, report = run_check(path, cwd=catalogue_copy.parent)
    row = next(c for c in report["catalogues"] if c["id"] == city)
    assert row["compliant"] is True
    # The reviewer's record still notes that a signed-off list changed (QD805): that is the review's
    # finding about the edit, not a floor finding.
    from compiler.codes import CODES, Family

    floor = [d["code"] for d in report["diagnostics"]
             if d["severity"] != "info" and d["code"] != "QD409" and CODES[d["code"]].family is not Family.review]
    assert floor == []


def test_explain_shows_the_values_read(catalogue_copy, capsys, monkeypatch):
    path = catalogue_copy / "cities" / "fuzhou.yaml"
    path.write_text(_strip_fields(path.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.chdir(catalogue_copy.parent)
    line = next(k for k, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "有条件的地方就近提供托育服务" in s)
    assert main(["explain", f"catalogue/cities/fuzhou.yaml:{line}"]) == 0
    out = capsys.readouterr().out
    assert "承诺程度（读出）：有条件，依据 “有条件的地方”（第 19 列）；commitment 字段：（未写，按条文）" in out
    assert "结论：不弱于底线" in out
    assert main(["explain", "catalogue/cities/fuzhou.yaml", "--format", "json"]) == 0
    views = json.loads(capsys.readouterr().out)
    s12 = next(v for v in views if v["kind"] == "provision" and v["id"] == "s12-2")
    assert s12["standards_stated"] == [] and {"words": "12年", "value": "12", "unit": "年", "kind": "years",
                                               "direction": "exact"} in s12["numbers"]
    assert s12["covers"][0]["weaker"] == []


def test_explain_names_what_is_missing(catalogue_copy, capsys, monkeypatch):
    path = catalogue_copy / "cities" / "fuzhou.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(s for s in text.splitlines() if "童心港湾" in s and "text:" in s)
    path.write_text(text.replace(old, "            text: 在学校开展流动儿童参加的文化活动"), encoding="utf-8")
    monkeypatch.chdir(catalogue_copy.parent)
    line = next(k for k, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "在学校开展" in s)
    assert main(["explain", f"catalogue/cities/fuzhou.yaml:{line}", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "✗ 幼儿园" in out and "✓ 学校" in out and "verdict: weaker: element" in out


def test_explain_rejects_a_missing_file(capsys):
    assert main(["explain", "no/such/list.yaml"]) == 2
    assert "不是清单文件" in capsys.readouterr().err
