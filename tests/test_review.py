"""The provincial review: review records read by check, written by qingdan review, the queue and the notes."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF, CATALOGUE

from compiler.checks import pipeline
from compiler.cli import main

ACCEPTED = "偏离已认可 1 处"


def _check(root: Path, *paths: Path) -> pipeline.CheckResult:
    return pipeline.check(list(paths) or [root], AS_OF)


def _codes(result: pipeline.CheckResult, key: str) -> list[str]:
    return [d.code for d in result.diagnostics.sorted() if d.catalogue == key]


def _cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- accepted: the sample deviation --------------------------------------------------------------

def test_accepted_deviation_makes_the_county_compliant_in_text(capsys):
    """minhou's deviation, accepted in reviews/minhou@1.yaml, is QD801 and the summary says 偏离已认可 1 处."""
    code, out = _cli(capsys, "check", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--no-cache")
    line = next(x for x in out.splitlines() if x.strip().startswith("minhou@1"))
    assert f"符合底线，{ACCEPTED}" in line and "待审核" not in line
    assert "QD801" in out and "QD311" not in out
    assert out.rstrip().splitlines()[-1].endswith(f"，{ACCEPTED}")


def test_accepted_deviation_in_json_and_sarif(capsys):
    """JSON: accepted_deviations 1 and the verdict; SARIF: the run's list verdicts say it too."""
    _, out = _cli(capsys, "check", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--format", "json", "--no-cache")
    report = json.loads(out)
    minhou = next(c for c in report["catalogues"] if c["id"] == "minhou")
    assert (minhou["compliant"], minhou["deviations"], minhou["accepted_deviations"]) == (True, 0, 1)
    assert ACCEPTED in minhou["verdict"]
    assert report["summary"]["accepted_deviations"] == 1
    accepted = next(d for d in report["diagnostics"] if d["code"] == "QD801")
    assert accepted["severity"] == "info" and "陈审核" in accepted["message"]
    _, out = _cli(capsys, "check", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--format", "sarif", "--no-cache")
    run = json.loads(out)["runs"][0]
    verdict = next(v for v in run["properties"]["lists"] if v["catalogue"] == "minhou@1")
    assert ACCEPTED in verdict["verdict"] and verdict["accepted_deviations"] == 1
    assert any(r["ruleId"] == "QD801" and r["level"] == "note" for r in run["results"])


def test_accepted_deviation_in_the_report():
    """The report's matrix row for the county: a 偏离已认可 cell and the verdict 符合，偏离已认可 1 处."""
    from compiler.publish.render.pdf import report_html
    from compiler.review.report import report_context

    report = report_context(_check(CATALOGUE))
    row = next(r for r in report.rows if r.key == "minhou@1")
    assert row.accepted == 1 and row.cells[0].status == "accepted"
    html = report_html(report, (), "Noto Serif CJK SC")
    assert f"符合，{ACCEPTED}" in html and "偏离已认可" in html


def test_accepted_deviation_in_the_workbook(tmp_path):
    """The exported matrix has the county's row, its s01 cell 偏离已认可 and 是（偏离已认可 1 处）."""
    out = tmp_path / "m.xlsx"
    assert main(["export", "xlsx", str(CATALOGUE), "--out", str(out), "--as-of", AS_OF.isoformat()]) == 0
    ws = openpyxl.load_workbook(out)["合规矩阵"]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "minhou@1")
    assert row[3] == "偏离已认可"
    assert f"是（{ACCEPTED}）" in row
    xiamen = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "xiamen@1")
    assert "按时（2025-03-13），2025-03-12 备案" in xiamen  # the filing date beside its due date


# ---- rejected, stale, other edition, changed after sign-off --------------------------------------

def test_rejected_deviation_is_an_error_with_the_reviewers_reason(catalogue_copy):
    """Rejected, the deviation gives back its finding (QD307) and QD802 quotes the reason; not compliant."""
    review = catalogue_copy / "reviews" / "minhou@1.yaml"
    _replace(review, "decision: accepted", "decision: rejected")
    result = _check(catalogue_copy)
    rejected = next(d for d in result.diagnostics.sorted() if d.code == "QD802" and d.catalogue == "minhou@1")
    assert "县疾控局组建前由县卫生健康局承担" in rejected.message()
    assert rejected.location.file.endswith("counties/minhou.yaml")
    assert any(r.location.file.endswith("reviews/minhou@1.yaml") for r in rejected.related)
    assert "QD307" in _codes(result, "minhou@1") and "QD801" not in _codes(result, "minhou@1")
    minhou = next(r for r in result.lists if r.entry.key == "minhou@1")
    assert (minhou.compliant, minhou.accepted, minhou.deviations) == (False, 0, 0)


def test_the_sent_back_sample(capsys):
    """quanzhou@1: its deviation rejected (QD802 beside the QD307 it answered), sent back (QD806)."""
    result = _check(CATALOGUE)
    codes = _codes(result, "quanzhou@1")
    assert {"QD802", "QD307", "QD806", "QD810"} <= set(codes) and "QD311" not in codes


def test_decision_without_a_deviation_is_a_warning(catalogue_copy):
    """A decision naming a deviation the list does not declare is QD803, at the decision."""
    review = catalogue_copy / "reviews" / "minhou@1.yaml"
    _replace(review, "  - where: s01\n", "  - where: s02\n")
    result = _check(catalogue_copy)
    stale = next(d for d in result.diagnostics.sorted() if d.code == "QD803")
    assert stale.location.file.endswith("reviews/minhou@1.yaml") and stale.location.line == 7
    assert "QD311" in _codes(result, "minhou@1")  # pending again


def test_review_of_another_edition_is_a_warning(catalogue_copy):
    """A record of xiamen@2 when the catalogue holds only xiamen@1 is QD804 and applies to nothing."""
    old = catalogue_copy / "reviews" / "xiamen@1.yaml"
    new = old.with_name("xiamen@2.yaml")
    new.write_text(old.read_text(encoding="utf-8").replace("edition: 1", "edition: 2"), encoding="utf-8")
    old.unlink()
    result = _check(catalogue_copy)
    other = next(d for d in result.diagnostics.sorted() if d.code == "QD804")
    assert other.location.file.endswith("reviews/xiamen@2.yaml") and "第 1 版" in other.message()
    assert "QD807" not in _codes(result, "xiamen@1")


def test_list_changed_after_sign_off_is_reported(catalogue_copy):
    """Editing the signed-off xiamen list changes its digest: QD805; a comment alone does not."""
    xiamen = catalogue_copy / "cities" / "xiamen.yaml"
    xiamen.write_text(xiamen.read_text(encoding="utf-8") + "# 一行注释不改变内容\n", encoding="utf-8")
    assert "QD805" not in _codes(_check(catalogue_copy), "xiamen@1")
    _replace(xiamen, "issuer: 厦门市民政局等部门（示例）", "issuer: 厦门市民政局（示例）")
    changed = [d for d in _check(catalogue_copy).diagnostics.sorted() if d.code == "QD805"]
    assert len(changed) == 1 and changed[0].location.file.endswith("reviews/xiamen@1.yaml")
    assert "2025-03-20" in changed[0].message()


def test_receipt_facts_and_comments(catalogue_copy):
    """QD808 when the receipt date differs from filed; QD809 for a late filing without a reason; QD810 at the item."""
    _replace(catalogue_copy / "reviews" / "xiamen@1.yaml", "received: 2025-03-12", "received: 2025-03-11")
    _replace(catalogue_copy / "reviews" / "nanping@1.yaml", "late_reason: 市医保局会签意见返回较晚（示例）\n", "")
    result = _check(catalogue_copy)
    assert "QD808" in _codes(result, "xiamen@1") and "QD809" in _codes(result, "nanping@1")
    comment = next(d for d in result.diagnostics.sorted() if d.code == "QD810")
    assert comment.location.file.endswith("cities/quanzhou.yaml")  # at provision s02-1, not in the record
    xiamen = next(r for r in result.lists if r.entry.key == "xiamen@1")
    assert xiamen.entry.model.filed == dt.date(2025, 3, 11)  # the receipt date is the filing date


def test_review_files_are_not_lists(run_check):
    """check sees the review records apart: no invalid file, no list named like them; a bad key points into them."""
    code, report = run_check(CATALOGUE)
    assert report["invalid_files"] == [] and not any(c["file"].startswith("catalogue/reviews") for c in report["catalogues"])


def test_unknown_key_in_a_review_is_reported_at_its_place(catalogue_copy):
    """QD103 with the file:line:column of the misspelt key in the review record."""
    _replace(catalogue_copy / "reviews" / "nanping@1.yaml", "late_reason:", "late_reasons:")
    found = [d for d in _check(catalogue_copy).diagnostics.sorted() if d.code == "QD103"]
    assert len(found) == 1 and found[0].location.file.endswith("reviews/nanping@1.yaml")
    assert (found[0].location.line, found[0].location.column) == (7, 1)


# ---- qingdan review: the records written through the round trip ------------------------------------

HAND_WRITTEN = """\
# 手工写的审核记录：注释、引号和行内写法都须原样保留
list: xiamen      # 厦门
edition: 1
received: 2025-03-12
filing_number: '闽民备〔2025〕2号（示例）'
comments:
  - {where: s01, text: "先看这里", reviewer: 甲, date: 2025-03-13}   # 行内写法

# 结尾的注释
"""


def _only_inserted(old: str, new: str) -> bool:
    ops = difflib.SequenceMatcher(a=old.splitlines(True), b=new.splitlines(True), autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in ops)


def test_review_edits_keep_the_rest_of_the_file_byte_for_byte(catalogue_copy, capsys):
    """comment, accept and sign-off only add lines; receive changes only the received line; CRLF is kept."""
    path = catalogue_copy / "reviews" / "xiamen@1.yaml"
    path.write_bytes(HAND_WRITTEN.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert main(["review", "comment", "xiamen@1", "--catalogue", str(catalogue_copy), "--where", "s02-1",
                 "--text", "再看这里", "--reviewer", "乙", "--date", "2025-03-14"]) == 0
    assert main(["review", "sign-off", "xiamen@1", "--catalogue", str(catalogue_copy), "--reviewer", "乙",
                 "--date", "2025-03-20"]) == 0
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    after = raw.decode("utf-8").replace("\r\n", "\n")
    assert _only_inserted(before, after)
    assert "  - where: s02-1\n    text: 再看这里\n" in after and "outcome: 同意备案" in after
    assert main(["review", "receive", "xiamen@1", "--catalogue", str(catalogue_copy), "--date", "2025-03-11"]) == 0
    last = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    changed = [(a, b) for a, b in zip(after.splitlines(), last.splitlines()) if a != b]
    assert changed == [("received: 2025-03-12", "received: 2025-03-11")]
    assert len(after.splitlines()) == len(last.splitlines())
    capsys.readouterr()
    result = _check(catalogue_copy)
    assert "QD807" in _codes(result, "xiamen@1") and "QD805" not in _codes(result, "xiamen@1")


def test_review_creates_a_missing_record_and_checks_what_it_names(catalogue_copy, capsys):
    """accept writes reviews/LIST@EDITION.yaml when absent; a deviation the list does not declare is a usage error."""
    path = catalogue_copy / "reviews" / "minhou@1.yaml"
    path.unlink()
    args = ["review", "accept", "minhou@1", "--catalogue", str(catalogue_copy), "--check", "responsibility",
            "--reviewer", "丙", "--reason", "同意", "--date", "2025-05-06"]
    assert main([*args, "--where", "s09"]) == 2
    assert not path.exists()
    assert main([*args, "--where", "s01"]) == 0
    assert "decision: accepted" in path.read_text(encoding="utf-8")
    assert next(r for r in _check(catalogue_copy).lists if r.entry.key == "minhou@1").accepted == 1
    assert main(["review", "return", "fuzhou@9", "--catalogue", str(catalogue_copy), "--reviewer", "丙",
                 "--correction", "x"]) == 2
    capsys.readouterr()


def test_queue_lists_filed_lists_without_a_conclusion_oldest_first(capsys):
    """The queue: filed, not signed off or sent back; oldest filing first, with days and findings."""
    code, out = _cli(capsys, "review", "queue", "--catalogue", str(CATALOGUE), "--as-of", AS_OF.isoformat(),
                     "--format", "json")
    queue = json.loads(out)["queue"]
    keys = [q["key"] for q in queue]
    assert "xiamen@1" not in keys and "quanzhou@1" not in keys and "longyan@1" not in keys
    assert keys[0] == "ningde@1" and "nanping@1" in keys
    assert [q["filed"] for q in queue] == sorted(q["filed"] for q in queue)
    nanping = next(q for q in queue if q["key"] == "nanping@1")
    assert nanping["days_since_filing"] == (AS_OF - dt.date(2025, 4, 25)).days and nanping["findings"] >= 1


def test_notes_typed_into_the_workbook_reach_the_review_record(catalogue_copy, tmp_path, capsys):
    """A note in the 审核意见 sheet becomes a comment in the record; importing twice writes it once."""
    out = tmp_path / "m.xlsx"
    assert main(["export", "xlsx", str(catalogue_copy), "--out", str(out), "--as-of", AS_OF.isoformat()]) == 0
    book = openpyxl.load_workbook(out)
    ws = book["审核意见"]
    assert "qingdan review --from-xlsx" in ws["A1"].value
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "fuzhou@1" and r[1].value == "s03-1")
    row[4].value, row[5].value = "请写明入学材料清单", "丁"
    recorded = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "quanzhou@1" and r[1].value == "s02-1")
    assert "入园承诺不得低于" in recorded[3].value  # recorded comments come back in each export
    book.save(out)
    for _ in range(2):
        assert main(["review", "--from-xlsx", str(out), "--catalogue", str(catalogue_copy), "--date", "2025-06-01"]) == 0
    text = (catalogue_copy / "reviews" / "fuzhou@1.yaml").read_text(encoding="utf-8")
    assert text.count("请写明入学材料清单") == 1 and "reviewer: 丁" in text
    capsys.readouterr()


# ---- the receipt -----------------------------------------------------------------------------------

def _pdf_text(pdf: Path) -> str:
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


@pytest.mark.parametrize("key, outcome", [("xiamen@1", "同意备案"), ("quanzhou@1", "退回修改"), ("nanping@1", "正在审核")])
def test_receipt_pdf_and_docx(tmp_path, key, outcome, capsys):
    """The receipt names list, edition, issue and receipt dates, on time or not with the reasoning, the conclusion."""
    import subprocess

    import docx

    assert main(["receipt", key, "--catalogue", str(CATALOGUE), "--out", str(tmp_path), "--as-of", AS_OF.isoformat()]) == 0
    capsys.readouterr()
    pdf, word = tmp_path / f"备案回执-{key}.pdf", tmp_path / f"备案回执-{key}.docx"
    text = _pdf_text(pdf)
    city = {"xiamen@1": "厦门市", "quanzhou@1": "泉州市", "nanping@1": "南平市"}[key]
    issued = {"xiamen@1": "2025年3月3日", "quanzhou@1": "2025年3月5日", "nanping@1": "2025年4月1日"}[key]
    received = {"xiamen@1": "2025年3月12日", "quanzhou@1": "2025年3月14日", "nanping@1": "2025年4月25日"}[key]
    for expected in (f"{city}流动儿童在居住地享有关爱服务清单", "第1版", issued, received, outcome, "民法典第二百零一条"):
        assert expected in text, expected
    assert ("逾期14日" in text) is (key == "nanping@1") and ("按时报送" in text) is (key != "nanping@1")
    if key == "quanzhou@1":
        assert "s05的责任部门增列市人社局" in text and "不予认可" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts) and any("CJK" in line for line in fonts)
    paragraphs = "".join(p.text for p in docx.Document(str(word)).paragraphs)
    for expected in (f"{city}流动儿童在居住地享有关爱服务清单", issued, received, outcome):
        assert expected in paragraphs


def test_no_receipt_for_a_county(tmp_path, capsys):
    """The plan sets no filing for a county list: receipt is a usage error, and writes nothing."""
    assert main(["receipt", "minhou@1", "--catalogue", str(CATALOGUE), "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []
    capsys.readouterr()


# ---- edition history, status, schema -----------------------------------------------------------------

def test_edition_history_regressions_first(catalogue_copy, tmp_path):
    """A second xiamen edition that drops a provision: the report and the workbook list the change, regression first."""
    from compiler.review.report import report_context

    old = catalogue_copy / "cities" / "xiamen.yaml"
    new = old.with_name("xiamen-2.yaml")
    text = old.read_text(encoding="utf-8").replace("edition: 1", "edition: 2", 1)
    text = text.replace("title: 厦门市流动儿童在居住地享有关爱服务清单（示例）", "title: 厦门市流动儿童在居住地享有关爱服务清单（示例，第二版）", 1)
    new.write_text(text, encoding="utf-8")
    result = _check(catalogue_copy)
    history = next(h for h in report_context(result).history if h.key == "xiamen@2")
    assert "xiamen@1" in history.summary and history.changes
    out = tmp_path / "m.xlsx"
    assert main(["export", "xlsx", str(catalogue_copy), "--out", str(out), "--as-of", AS_OF.isoformat()]) == 0
    rows = [r for r in openpyxl.load_workbook(out)["版本变化"].iter_rows(min_row=2, values_only=True) if r[0] == "xiamen@2"]
    assert rows and rows[0][1] == "xiamen@1"
    flags = [r[3] for r in rows]
    assert flags == sorted(flags, key=lambda f: f != "是")


def test_status_prints_the_filing_date_beside_its_due_date(capsys):
    """status: '按时（2025-03-13），2025-03-12 备案' for xiamen."""
    code, out = _cli(capsys, "status", str(CATALOGUE), "--as-of", AS_OF.isoformat())
    assert "按时（2025-03-13），2025-03-12 备案" in out


def test_committed_review_schema_is_current(capsys):
    """schema/review.schema.json equals `qingdan schema --kind review` (./tasks docs refreshes it)."""
    from conftest import ROOT

    assert main(["schema", "--kind", "review"]) == 0
    generated = json.loads(capsys.readouterr().out)
    committed = json.loads((ROOT / "schema" / "review.schema.json").read_text(encoding="utf-8"))
    assert committed == generated and "decisions" in generated["properties"]


def test_counties_are_rows_of_the_matrix():
    """The county, compared with its city's list, is a row of the compliance matrix."""
    from compiler.review import matrix

    table = matrix.compute(_check(CATALOGUE))
    assert "minhou@1" in [r.key for r in table.rows]
    assert table.row("minhou@1").floor.key == "fuzhou@1"


def test_copying_a_review_record_twice_is_reported(catalogue_copy):
    """Two records of one edition: the second is QD804 and not used."""
    shutil.copy(catalogue_copy / "reviews" / "xiamen@1.yaml", catalogue_copy / "reviews" / "xiamen-copy.yaml")
    found = [d for d in _check(catalogue_copy).diagnostics.sorted() if d.code == "QD804"]
    assert len(found) == 1 and "xiamen-copy.yaml" in found[0].location.file


def test_city_page_has_this_editions_changes_and_earlier_pdfs(catalogue_copy):
    """A second xiamen edition's page: 本版变化 with the weakened commitment first, and a link to edition 1's PDF."""
    from compiler.publish import views
    from compiler.publish.render.env import environment

    old = catalogue_copy / "cities" / "xiamen.yaml"
    text = old.read_text(encoding="utf-8").replace("edition: 1", "edition: 2", 1).replace("commitment: 保障", "commitment: 鼓励", 1)
    old.with_name("xiamen-2.yaml").write_text(text, encoding="utf-8")
    view = next(v for v in views.published(_check(catalogue_copy)) if v.id == "xiamen")
    assert view.edition == 2 and [e.pdf for e in view.editions.earlier] == ["pdf/xiamen-1.pdf"]
    page = environment("site").get_template("list.md.j2").render(view=view, floor_page=None, pdfs=True)
    section = page.split('<h2 id="editions">本版变化</h2>', 1)[1].split("</section>", 1)[0]
    assert section.index("低于上一版") < section.index("edition")
    assert 'href="../../pdf/xiamen-1.pdf"' in section
    unchanged = next(v for v in views.published(_check(catalogue_copy)) if v.id == "fuzhou")
    assert unchanged.editions is None


def test_bundled_review_records_follow_their_schema():
    """Every sample review record points editors at schema/review.schema.json and validates against it."""
    import jsonschema
    from conftest import ROOT
    from ruamel.yaml import YAML

    schema = json.loads((ROOT / "schema" / "review.schema.json").read_text(encoding="utf-8"))
    records = sorted((CATALOGUE / "reviews").glob("*.yaml"))
    assert len(records) == 4
    for path in records:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schema/review.schema.json\n")
        data = json.loads(json.dumps(YAML(typ="safe").load(text), default=str))
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == [], path.name


def test_catalogue_may_come_before_the_action(catalogue_copy, capsys):
    """`review --catalogue DIR comment ...` writes into DIR, as `review comment ... --catalogue DIR` does."""
    assert main(["review", "--catalogue", str(catalogue_copy), "comment", "fuzhou@1", "--where", "s01",
                 "--text", "先于操作写目录", "--reviewer", "戊", "--date", "2025-06-01"]) == 0
    assert "先于操作写目录" in (catalogue_copy / "reviews" / "fuzhou@1.yaml").read_text(encoding="utf-8")
    assert not (CATALOGUE / "reviews" / "fuzhou@1.yaml").exists()
    capsys.readouterr()
