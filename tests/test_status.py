"""`qingdan status`: the deadline dashboard, its order, its languages, and its iCalendar export."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, ROOT
from icalendar import Calendar

from compiler.cli import main

# Most urgent first at 2026-11-29: longyan must still file (8 days), ningde re-issues in 85 days...
ORDER = ["longyan", "ningde", "xiamen", "quanzhou", "fuzhou", "putian", "pingtan", "sanming", "zhangzhou",
         "nanping", "fujian", "minhou"]


def status(capsys, *args: str, as_of: dt.date = AS_OF) -> tuple[int, str]:
    code = main(["status", *args, "--as-of", as_of.isoformat()])
    return code, capsys.readouterr().out


def status_json(capsys, *args: str, as_of: dt.date = AS_OF) -> dict:
    code, out = status(capsys, *args, "--format", "json", as_of=as_of)
    assert code == 0
    return json.loads(out)


def events(path: Path) -> dict[str, object]:
    """The VEVENTs of an .ics file, by UID, parsed by the icalendar library."""
    cal = Calendar.from_ical(path.read_bytes())
    found = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(cal.walk("VEVENT")), "UIDs must be unique"
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The bundled catalogue's calendar at 2026-11-29."""
    path = tmp_path_factory.mktemp("ics") / "deadlines.ics"
    assert main(["status", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--ics", str(path), "--format", "json"]) == 0
    return path


def test_lists_are_sorted_by_urgency(capsys):
    """The most urgent open deadline decides the order; lists with none (the province) come last."""
    report = status_json(capsys, str(CATALOGUE))
    assert [row["id"] for row in report["lists"]] == ORDER


def test_overdue_lists_come_first_most_overdue_first(capsys):
    """Overdue before everything else, the longest overdue first, then by days left."""
    report = status_json(capsys, str(CATALOGUE), as_of=dt.date(2027, 3, 4))
    rows = [(r["id"], r["filing_status"], r["renewal_status"]) for r in report["lists"][:4]]
    assert rows == [("longyan", "overdue", "on_track"),  # filing due 2026-12-07: 87 days
                    ("ningde", "on_time", "overdue"),  # re-issue due 2027-02-22: 10 days
                    ("xiamen", "on_time", "overdue"),  # due 2027-03-03: 1 day
                    ("quanzhou", "on_time", "due_soon")]  # due 2027-03-05: 1 day left
    assert report["lists"][0]["filing_days"] == 87


def test_deadline_states_match_the_samples(capsys):
    """Each sample's filing and renewal state and due date, as tests/test_samples.py pins them."""
    rows = {r["id"]: r for r in status_json(capsys, str(CATALOGUE))["lists"]}
    assert (rows["nanping"]["filing_status"], rows["nanping"]["filing_due"], rows["nanping"]["filing_days"]) == \
        ("late", "2025-04-11", 14)
    assert (rows["longyan"]["filing_status"], rows["longyan"]["filing_due"]) == ("pending", "2026-12-07")
    assert (rows["ningde"]["renewal_status"], rows["ningde"]["renewal_due"]) == ("due_soon", "2027-02-22")
    assert (rows["fuzhou"]["filing_status"], rows["fuzhou"]["renewal_status"]) == ("on_time", "on_track")
    assert (rows["fujian"]["filing_status"], rows["fujian"]["renewal_status"]) == ("not_applicable", "not_applicable")


def test_json_shape(capsys):
    """Each list carries check's keys plus the readable state, reasoning, calendar caveats; the basis is given once."""
    report = status_json(capsys, str(CATALOGUE))
    longyan = report["lists"][0]
    assert longyan["key"] == "longyan@1" and longyan["sample"] is True
    assert longyan["filing_text"] == "待备案，剩 8 天（2026-12-07）"
    assert any("第二百零三条" in step for step in longyan["filing_reasoning"])
    assert longyan["renewal_calendar_unknown_years"] == [2028]
    assert set(report["basis"]) == {"filing", "renewal", "calendar"}
    assert "10日内" in report["basis"]["filing"] and "每两年" in report["basis"]["renewal"]


def test_text_dashboard(capsys, monkeypatch):
    """The text form: heading with the as-of day, samples marked, each date with its reasoning, the basis at the end."""
    monkeypatch.chdir(ROOT)  # the catalogue argument defaults to ./catalogue
    code, out = status(capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "清单期限一览（截至 2026-11-29，最紧迫的在前）"
    assert lines[1].startswith("longyan@1") and "龙岩市 [示例]" in lines[1] and "catalogue/cities/longyan.yaml" in lines[1]
    assert lines[2] == "  备案期限（印发后10日内）：待备案，剩 8 天（2026-12-07）"
    assert "依第二百零三条顺延" in lines[4]
    assert "QD409 节假日日历不含 2028 年" in out
    assert "逾期备案 14 天（2025-04-11）" in out and "即将到期，剩 85 天（2027-02-22）" in out
    assert "福建省  catalogue/province/fujian.yaml" in out and "[示例]" not in next(s for s in lines if "福建省" in s)
    assert "于制定下发后10日内报送省民政厅备案" in out and "各地市关爱服务清单每两年更新发布一次" in out


def test_english(capsys):
    """--lang en words the dashboard, the reasoning and the basis in English."""
    code, out = status(capsys, str(CATALOGUE), "--lang", "en")
    assert out.splitlines()[0] == "Deadlines (as of 2026-11-29, most urgent first)"
    assert "filing due (10 days): pending, 8 days left (2026-12-07)" in out
    assert "[sample]" in out and "art. 203" in out and "basis:" in out
    assert "待备案" not in out and "依据" not in out and "民法典" not in out
    report = status_json(capsys, str(CATALOGUE), "--lang", "en")
    assert report["lists"][0]["filing_text"] == "pending, 8 days left (2026-12-07)"
    assert "art. 201" in report["lists"][0]["filing_reasoning"][0]


def test_english_ics_still_marks_samples(tmp_path, capsys):
    """With --lang en the calendar is in English, and a sample still says 示例."""
    ics = tmp_path / "d.ics"
    status(capsys, str(CATALOGUE), "--lang", "en", "--ics", str(ics))
    event = events(ics)["longyan-1-filing@qingdan"]
    assert str(event["SUMMARY"]) == "[示例 sample] 龙岩市 list, edition 1: filing due (pending)"
    assert "art. 203" in str(event["DESCRIPTION"]) and "not a real policy" in str(event["DESCRIPTION"])


def test_ics_one_event_per_deadline(exported):
    """Every city list gives a filing and a renewal event; the province, with no deadlines, none."""
    found = events(exported)
    cities = sorted(p.stem for p in (CATALOGUE / "cities").glob("*.yaml"))
    assert sorted(found) == sorted(f"{c}-1-{kind}@qingdan" for c in cities for kind in ("filing", "renewal"))


def test_ics_dates_and_samples(exported):
    """All-day events on the statutory due dates; every sample's summary says 示例."""
    found = events(exported)
    for uid, due in [("longyan-1-filing@qingdan", dt.date(2026, 12, 7)), ("nanping-1-filing@qingdan", dt.date(2025, 4, 11)),
                     ("ningde-1-renewal@qingdan", dt.date(2027, 2, 22)), ("fuzhou-1-renewal@qingdan", dt.date(2027, 3, 10)),
                     ("zhangzhou-1-filing@qingdan", dt.date(2025, 4, 7))]:
        event = found[uid]
        assert event.decoded("DTSTART") == due and event.decoded("DTEND") == due + dt.timedelta(days=1)
    assert all(str(e["SUMMARY"]).startswith("[示例] ") for e in found.values())
    assert str(found["longyan-1-filing@qingdan"]["SUMMARY"]) == "[示例] 龙岩市清单第1版备案期限（待备案）"
    description = str(found["longyan-1-filing@qingdan"]["DESCRIPTION"])
    assert "第二百零三条" in description and "报送省民政厅备案" in description and "示例数据" in description


def test_ics_alarms_on_open_deadlines_only(exported):
    """Open deadlines remind 30 and 7 days before; a list already filed is not reminded to file."""
    found = events(exported)
    for uid in ("longyan-1-filing@qingdan", "longyan-1-renewal@qingdan", "ningde-1-renewal@qingdan"):
        alarms = found[uid].walk("VALARM")
        assert sorted(a.decoded("TRIGGER") for a in alarms) == [dt.timedelta(days=-30), dt.timedelta(days=-7)]
        assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in alarms)
    for uid in ("fuzhou-1-filing@qingdan", "nanping-1-filing@qingdan"):
        assert found[uid].walk("VALARM") == []


def test_ics_is_reproducible_and_updates_in_place(exported, tmp_path):
    """Same catalogue and day → same bytes (DTSTAMP is the as-of day); a later export keeps the UIDs."""
    again = tmp_path / "again.ics"
    main(["status", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--ics", str(again), "--format", "json"])
    assert again.read_bytes() == exported.read_bytes()
    assert all(e.decoded("DTSTAMP") == dt.datetime(2026, 11, 29, tzinfo=dt.UTC) for e in events(again).values())
    later = tmp_path / "later.ics"
    main(["status", str(CATALOGUE), "--as-of", "2026-12-20", "--ics", str(later), "--format", "json"])
    assert sorted(events(later)) == sorted(events(exported))
    assert "逾期" in str(events(later)["longyan-1-filing@qingdan"]["SUMMARY"])
    assert exported.read_bytes().count(b"\r\n") == exported.read_bytes().count(b"\n")  # CRLF, as RFC 5545 wants


def test_superseded_renewal_is_cancelled(catalogue_copy, tmp_path, capsys):
    """Once a newer edition exists, the old edition's renewal event is CANCELLED and has no reminders."""
    text = (catalogue_copy / "cities" / "fuzhou.yaml").read_text(encoding="utf-8")
    newer = text.replace("edition: 1\nissued: 2025-03-10\nfiled: 2025-03-18", "edition: 2\nissued: 2026-03-10\nfiled: 2026-03-16")
    assert newer != text
    (catalogue_copy / "cities" / "fuzhou-2.yaml").write_text(newer, encoding="utf-8")
    ics = tmp_path / "d.ics"
    assert main(["status", str(catalogue_copy), "--as-of", AS_OF.isoformat(), "--ics", str(ics)]) == 0
    assert "已被新版取代" in capsys.readouterr().out
    found = events(ics)
    old, new = found["fuzhou-1-renewal@qingdan"], found["fuzhou-2-renewal@qingdan"]
    assert str(old["STATUS"]) == "CANCELLED" and old.walk("VALARM") == []
    assert "STATUS" not in new and len(new.walk("VALARM")) == 2
    assert new.decoded("DTSTART") == dt.date(2028, 3, 10)


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("no/such/folder/d.ics", "所在的文件夹不存在"),
        (".", "须以 .ics 结尾"),
        ("catalogue/cities/fuzhou.yaml", "须以 .ics 结尾"),
        ("tests.ics/", "这是一个文件夹"),
        ("catalogue/departments.yaml/d.ics", "不是文件夹"),
    ],
)
def test_bad_ics_path_exits_2_in_chinese(tmp_path, monkeypatch, capsys, target, words):
    """A path that cannot take the export: exit 2, a Chinese message, nothing printed or written, sources untouched."""
    (tmp_path / "tests.ics").mkdir()
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    before = {p: p.read_bytes() for p in (tmp_path / "catalogue").rglob("*") if p.is_file()}
    monkeypatch.chdir(tmp_path)
    code = main(["status", "--as-of", AS_OF.isoformat(), "--ics", target])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.startswith("qingdan: ") and words in captured.err
    assert {p: p.read_bytes() for p in (tmp_path / "catalogue").rglob("*") if p.is_file()} == before
    assert list((tmp_path / "tests.ics").iterdir()) == []


def test_ics_write_replaces_whole_and_leaves_no_temporary_file(tmp_path, capsys):
    """An existing export is replaced by the new one, and no temporary file is left beside it."""
    ics = tmp_path / "d.ics"
    ics.write_bytes(b"old")
    status(capsys, str(CATALOGUE), "--ics", str(ics))
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR") and ics.read_bytes().rstrip().endswith(b"END:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["d.ics"]


def test_missing_catalogue_is_a_usage_error(capsys):
    """status on a path that does not exist exits 2 with a Chinese message."""
    assert main(["status", "no/such/catalogue"]) == 2
    assert "路径不存在" in capsys.readouterr().err
