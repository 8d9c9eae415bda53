"""`qingdan check --format sarif`: valid SARIF 2.1.0 that says what the text and JSON outputs say.

The schema is the official OASIS file (sarif-schema-2.1.0.json, errata 01), vendored beside
this test so validation runs offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import AS_OF, CATALOGUE, ROOT

from compiler.cli import main
from compiler.codes import CODES

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def check(capsys, *args: str, fmt: str = "sarif") -> tuple[int, dict]:
    code = main(["check", *args, "--as-of", AS_OF.isoformat(), "--format", fmt])
    return code, json.loads(capsys.readouterr().out)


def assert_valid(log: dict) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(log)]
    assert errors == []


@pytest.fixture(scope="module")
def sample_log() -> tuple[int, dict, dict]:
    """The bundled catalogue as SARIF and as qingdan's own JSON, run from the repository root."""
    from compiler.checks import pipeline
    from compiler.output import text as formats
    from compiler.output.sarif import to_sarif

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = pipeline.check([Path("catalogue")], AS_OF)
        return result.exit_code(), json.loads(to_sarif(result)), json.loads(formats.to_json(result))


def test_the_schema_is_the_official_one():
    """The vendored schema is OASIS SARIF 2.1.0, and it rejects a log that breaks it (so validation has teeth)."""
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                         "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}
    assert list(VALIDATOR.iter_errors(bad))
    assert list(VALIDATOR.iter_errors({"$schema": "not a uri", "version": "2.1.0", "runs": []}))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sample_catalogue_validates(capsys, monkeypatch, lang):
    """The whole sample catalogue's log validates against the SARIF 2.1.0 schema, in both languages."""
    monkeypatch.chdir(ROOT)
    code, log = check(capsys, "catalogue", "--lang", lang)
    assert code == 1
    assert_valid(log)


def test_results_match_the_diagnostics(sample_log):
    """One result per diagnostic, same order, code, level, file, line, column and related places."""
    code, log, own = sample_log
    run = log["runs"][0]
    assert code == 1 and run["invocations"][0]["exitCode"] == 1
    results, diagnostics = run["results"], own["diagnostics"]
    assert len(results) == len(diagnostics) == 57
    level = {"error": "error", "warning": "warning", "info": "note"}
    for r, d in zip(results, diagnostics):
        loc = r["locations"][0]["physicalLocation"]
        assert (r["ruleId"], r["level"]) == (d["code"], level[d["severity"]])
        assert (loc["artifactLocation"]["uri"], loc["region"]["startLine"], loc["region"]["startColumn"]) == \
            (d["file"], d["line"], d["column"])
        assert r["message"]["text"].startswith(d["message"])
        related = [(x["physicalLocation"]["artifactLocation"]["uri"], x["physicalLocation"]["region"]["startLine"],
                    x["message"]["text"]) for x in r.get("relatedLocations", [])]
        assert related == [(x["file"], x["line"], x["label"]) for x in d["related"]]


def test_a_floor_finding_in_detail(sample_log):
    """Zhangzhou's lowered standard: error at 391:39, the fix in the message, the floor provision as related location."""
    _, log, _ = sample_log
    run = log["runs"][0]
    r = next(r for r in run["results"] if r["ruleId"] == "QD305")
    assert r["level"] == "error"
    assert r["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "catalogue/cities/zhangzhou.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 391, "startColumn": 39}}
    assert "\n怎么改：把 value 改为 12" in r["message"]["text"]
    related = r["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "catalogue/province/fujian.yaml"
    assert "s12-2" in related["message"]["text"]
    assert "不得低于省级关爱服务清单" in r["properties"]["basis"]
    assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == "QD305"
    assert run["columnKind"] == "unicodeCodePoints"


def test_rules_are_the_code_registry(sample_log):
    """Every registered code is a rule with its title, reason, basis and default level."""
    _, log, _ = sample_log
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    by_id = {r["id"]: r for r in rules}
    assert by_id["QD304"]["shortDescription"]["text"] == "承诺程度降低"
    assert by_id["QD304"]["defaultConfiguration"]["level"] == "error"
    assert by_id["QD310"]["defaultConfiguration"]["level"] == "note"
    assert by_id["QD405"]["defaultConfiguration"]["level"] == "warning"
    assert "commitment: 有条件" in by_id["QD304"]["help"]["markdown"] and "依据" in by_id["QD304"]["help"]["text"]


def test_english_rules_and_messages(capsys, monkeypatch):
    """--lang en: English rule titles, messages and fixes."""
    monkeypatch.chdir(ROOT)
    _, log = check(capsys, "catalogue/cities/putian.yaml", "--lang", "en")
    run = log["runs"][0]
    assert run["tool"]["driver"]["language"] == "en-US"
    assert {r["id"]: r for r in run["tool"]["driver"]["rules"]}["QD301"]["shortDescription"]["text"] == "floor provision not covered"
    r = next(r for r in run["results"] if r["ruleId"] == "QD301")
    assert r["message"]["text"].startswith("floor provision s09-1") and "\nfix: " in r["message"]["text"]


def test_min_severity_applies(capsys, monkeypatch):
    """--min-severity error keeps only error results; the rules stay complete."""
    monkeypatch.chdir(ROOT)
    _, log = check(capsys, "catalogue", "--min-severity", "error")
    run = log["runs"][0]
    assert {r["level"] for r in run["results"]} == {"error"} and len(run["results"]) == 11
    assert len(run["tool"]["driver"]["rules"]) == len(CODES)


def test_uris_are_relative_to_the_repository_root(tmp_path, capsys, monkeypatch):
    """Run from a subfolder of a git repository, URIs are still relative to the repository root, and a
    non-ASCII file name is percent-encoded."""
    repo = tmp_path / "bureau"
    shutil.copytree(CATALOGUE, repo / "data" / "catalogue")
    (repo / "data" / "catalogue" / "cities" / "putian.yaml").rename(repo / "data" / "catalogue" / "cities" / "莆田.yaml")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.chdir(repo / "data")
    _, log = check(capsys, "catalogue/cities/莆田.yaml")
    assert_valid(log)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert {loc["uri"] for loc in locations} == {"data/catalogue/cities/%E8%8E%86%E7%94%B0.yaml"}
    assert {loc["uriBaseId"] for loc in locations} == {"%SRCROOT%"}


def test_outside_a_repository_uris_follow_the_working_directory(tmp_path, capsys, monkeypatch):
    """Without a repository, URIs are relative to the working directory; a file outside it gets an absolute file URI."""
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    _, log = check(capsys, "catalogue/cities/putian.yaml")
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]} == \
        {"catalogue/cities/putian.yaml"}
    monkeypatch.chdir(tmp_path / "elsewhere")
    _, log = check(capsys, str(tmp_path / "catalogue" / "cities" / "putian.yaml"))
    assert_valid(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {(tmp_path / "catalogue" / "cities" / "putian.yaml").as_uri()}
