"""The reviewers' report: its page on the site and its PDF say what `check` says."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import AS_OF, CATALOGUE, page_text, squash

from compiler.checks import pipeline
from compiler.review.report import report_context


@pytest.fixture(scope="module")
def report():
    return report_context(pipeline.check([CATALOGUE], AS_OF))


@pytest.fixture(scope="module")
def pdf_text(built_site) -> str:
    out = subprocess.run(["pdftotext", str(built_site / "pdf/report.pdf"), "-"], capture_output=True, text=True, check=True)
    return squash(out.stdout)


def _row(report, jurisdiction: str):
    return next(r for r in report.rows if r.jurisdiction == jurisdiction)


def test_the_matrix_has_every_city_and_every_provincial_item(report):
    """One row per city list on the provincial floor and per county below one, one column per provincial item."""
    assert [c.id for c in report.columns] == [f"s{n:02d}" for n in range(1, 21)]
    assert len(report.rows) == 11 and report.rows[-1].key == "minhou@1"
    putian = _row(report, "莆田市")
    statuses = {c.id: cell.status for c, cell in zip(report.columns, putian.cells)}
    assert statuses["s09"] == "missing" and putian.missing == 1 and not putian.compliant
    quanzhou = _row(report, "泉州市")
    assert quanzhou.weakened == 2 and "QD304" in quanzhou.cells[1].codes
    assert _row(report, "福州市").additions >= 1 and _row(report, "福州市").covered == 20


def test_the_report_page_shows_matrix_deadlines_errata_and_findings(built_site, report):
    """The page carries the cells, each deadline with its legal basis, the errata and every diagnostic's place."""
    text = page_text(built_site, "report/index.html")
    assert "缺失QD301" in text and "被削弱QD304" in text
    nanping = next(r for r in report.deadlines if r.jurisdiction == "南平市")
    assert nanping.filing_status == "逾期备案 14 天" and squash(f"{nanping.filing_due}逾期备案14天") in text
    assert squash("于制定下发后10日内报送省民政厅备案") in text and "第二百零三条" in text
    for step in nanping.filing_reasoning:
        assert squash(step) in text
    assert len(report.errata) == 9 and all(squash(e.corrected) in text for e in report.errata)
    places = re.findall(r"catalogue/[a-z/]+\.yaml:\d+:\d+", text)
    total = sum(len(group.findings) for group in report.findings)
    assert len(places) >= total


def test_the_report_pdf_says_the_same(built_site, report, pdf_text):
    """The PDF, A4 landscape, carries the title, the cells, the deadlines and the findings' places."""
    info = subprocess.run(["pdfinfo", str(built_site / "pdf/report.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info)
    assert "审核报告" in pdf_text and "缺失" in pdf_text and "QD301" in pdf_text and pdf_text.count("被削弱") >= 6
    assert "catalogue/cities/putian.yaml" in pdf_text
    assert squash(_row(report, "莆田市").jurisdiction) in pdf_text


def test_the_report_counts_as_check_does(built_site, report, capsys):
    """The report's counts sentence is `check`'s own: the accepted deviation is counted apart, not as an info."""
    from compiler.cli import main


    main(["check", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--no-cache"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == report.totals and last.endswith("，偏离已认可 1 处")
    assert squash(report.totals) in page_text(built_site, "report/index.html")
