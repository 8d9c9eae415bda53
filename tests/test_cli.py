"""The qingdan command line: deadlines, exit statuses, languages, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CATALOGUE, ROOT

from compiler.cli import main


def qingdan(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("issued", "filing", "renewal"),
    [
        ("2025-01-09", "2025-01-20", "2027-01-11"),
        ("2025-01-16", "2025-01-26", "2027-01-18"),
        ("2025-01-19", "2025-02-05", "2027-01-19"),
        ("2025-09-21", "2025-10-09", "2027-09-21"),
        ("2024-02-29", "2024-03-11", "2026-02-28"),
    ],
)
def test_deadlines_json(issued, filing, renewal, capsys):
    """`qingdan deadlines --issued` gives the statutory filing and renewal due dates."""
    assert main(["deadlines", "--issued", issued, "--as-of", "2026-11-29", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["filing_due"], out["renewal_due"]) == (filing, renewal)
    assert out["filing_reasoning"] and out["renewal_reasoning"]


def test_deadlines_text_shows_the_reasoning(capsys):
    """The text form shows both dates, the skipped days and the articles."""
    main(["deadlines", "--issued", "2025-01-19", "--filed", "2025-02-06", "--as-of", "2026-11-29"])
    out = capsys.readouterr().out
    assert "2025-02-05" in out and "春节" in out and "第二百零三条" in out and "逾期备案" in out


def test_deadlines_warns_about_unknown_years(capsys):
    """A due date in a year the holiday calendar does not know carries a QD409 warning."""
    main(["deadlines", "--issued", "2026-03-02", "--as-of", "2026-11-29", "--format", "json"])
    captured = capsys.readouterr()
    assert json.loads(captured.out)["calendar_unknown_years"] == [2028]


def test_deadlines_english(capsys):
    """--lang en explains the periods in English."""
    main(["deadlines", "--issued", "2025-01-09", "--lang", "en"])
    out = capsys.readouterr().out
    assert "filing due" in out and "art. 203" in out


@pytest.mark.parametrize(
    "args",
    [
        ["deadlines", "--issued", "2025-02-30"],
        ["deadlines", "--issued", "2025年1月9日"],
        ["check", "no/such/folder"],
        ["check", "catalogue", "--as-of", "tomorrow"],
        ["check", "catalogue", "--format", "xml"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2_in_chinese(args):
    """Bad command lines exit 2 with a Chinese message and no traceback."""
    proc = qingdan(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "qingdan:" in proc.stderr and any("\u4e00" <= ch <= "\u9fff" for ch in proc.stderr)


def test_check_exit_status_follows_errors():
    """Exit 1 with an error-level finding in the checked files, 0 when only warnings and infos."""
    assert qingdan("check", "catalogue/cities/putian.yaml", "--as-of", "2026-11-29").returncode == 1
    ok = qingdan("check", "catalogue/cities/fuzhou.yaml", "--as-of", "2026-11-29")
    assert ok.returncode == 0, ok.stdout
    assert "fuzhou@1" in ok.stdout and "putian" not in ok.stdout


def test_text_output_shows_source_line_fix_basis_and_related():
    """A text diagnostic shows file:line:column, the offending line with a caret, how to fix, the basis and the floor place."""
    out = qingdan("check", "catalogue/cities/zhangzhou.yaml", "--as-of", "2026-11-29").stdout
    block = next(b for b in out.split("\n\n") if "QD305" in b)
    lines = block.splitlines()
    assert lines[0].startswith("catalogue/cities/zhangzhou.yaml:") and "错误 QD305" in lines[0]
    assert "value: 9" in lines[1] and lines[2].rstrip().endswith("^")
    assert any(line.strip().startswith("怎么改") for line in lines)
    assert any("不得低于省级关爱服务清单" in line for line in lines)
    assert any("catalogue/province/fujian.yaml:" in line and "s12-2" in line for line in lines)


def test_english_check_output():
    """--lang en prints messages and the summary in English."""
    out = qingdan("check", "catalogue/cities/putian.yaml", "--as-of", "2026-11-29", "--lang", "en").stdout
    assert "error QD301 floor provision s09-1" in out and "below its floor" in out


def test_min_severity_filters():
    """--min-severity error hides warnings and infos but keeps the summary."""
    out = qingdan("check", "catalogue", "--as-of", "2026-11-29", "--min-severity", "error").stdout
    assert "QD409" not in out and "QD310" not in out and "QD301" in out and "清单核查汇总" in out


def test_check_defaults_to_catalogue_folder():
    """With no path, check reads ./catalogue."""
    proc = qingdan("check", "--as-of", "2026-11-29", "--format", "json")
    assert len(json.loads(proc.stdout)["catalogues"]) == 12


def test_check_outside_a_catalogue_is_a_usage_error(tmp_path):
    """A folder with no departments.yaml above it is not a catalogue: exit 2 with a message naming the marker."""
    (tmp_path / "x.yaml").write_text("id: x\n", encoding="utf-8")
    proc = qingdan("check", str(tmp_path / "x.yaml"))
    assert proc.returncode == 2 and "departments.yaml" in proc.stderr


def test_codes_listing():
    """`qingdan codes` lists every registered code."""
    from compiler.codes import CODES

    out = qingdan("codes").stdout
    assert all(code in out for code in CODES)


def test_source_files_are_never_changed(tmp_path):
    """Checking never writes to the catalogue."""
    import hashlib

    def digest() -> str:
        h = hashlib.sha256()
        for p in sorted(CATALOGUE.rglob("*")):
            if p.is_file():
                h.update(p.read_bytes())
        return h.hexdigest()

    before = digest()
    qingdan("check", "catalogue", "--as-of", "2026-11-29")
    assert digest() == before


@pytest.mark.parametrize("args", [["schema", "extra"], ["codes", "--lang", "fr"], ["codes", "--bogus"]])
def test_schema_and_codes_refuse_bad_arguments(args):
    """schema and codes take no input; anything unexpected is a usage error, exit 2, no traceback."""
    done = qingdan(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stdout == ""
