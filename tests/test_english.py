"""`--lang en`: every command's failures, the build and preview messages, and the reviewers' report in English.

Chinese may remain only where it is quoted: what the lists say (names, services, provision texts,
errata) and what the user typed on the command line.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, ROOT, page_text, qingdan_cli, squash
from pypdf import PdfReader

from compiler.checks import pipeline
from compiler.cli import build_parser, main, requested_lang
from compiler.errors import BuildError, QingdanError
from compiler.publish.build import BuildOptions, _input_digest
from compiler.publish.render.pdf import render_report_pdf
from compiler.review.report import LABELS, report_context

CJK = re.compile(r"[\u3400-\u9fff]+")
ERRORS = {"QingdanError", "UsageError", "InputError", "BuildError", "TooLong"}


@functools.cache
def _catalogue_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CATALOGUE.rglob("*.yaml")))


def unquoted_chinese(text: str, *quoted: str) -> list[str]:
    """The runs of Chinese in `text` that neither the catalogue's files nor `quoted` contain."""
    source = _catalogue_text() + "\n" + "\n".join(quoted)
    return [run for run in CJK.findall(text) if run not in source]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- the failures ------------------------------------------------------------------------------

def test_every_failure_raised_in_the_code_has_its_english():
    """Each construction of a tool failure in compiler/ passes `en=`, so no failure is Chinese-only."""
    missing = []
    for path in sorted((ROOT / "compiler").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ERRORS:
                if not any(k.arg == "en" for k in node.keywords):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing


def test_a_failure_keeps_its_english_across_processes():
    """A BuildError raised in a PDF worker is pickled to the parent with both messages."""
    again = pickle.loads(pickle.dumps(BuildError("网站构建失败", en="the site build failed")))
    assert (again.text("zh"), again.text("en"), str(again)) == ("网站构建失败", "the site build failed", "网站构建失败")
    assert QingdanError("只有中文").text("en") == "只有中文"


@pytest.mark.parametrize(("argv", "expected"), [
    (["check", "no/such/folder"], "no such path: no/such/folder"),
    (["check", "catalogue", "--as-of", "tomorrow"], "invalid command line: argument --as-of: 'tomorrow' is not a valid date"),
    (["deadlines", "--issued", "2025-03-01", "--filed", "2025-02-27"], "the filing date 2025-02-27 is before the issue date"),
    (["deadlines"], "invalid command line: the following arguments are required: --issued"),
    (["build", "no/such/folder"], "the catalogue folder does not exist: no/such/folder"),
    (["build", "--no-pdf", "--base-url", "example.org"], "--base-url must be a full address"),
    (["status", "catalogue", "--ics", "deadlines.txt"], "the ICS file name must end in .ics: deadlines.txt"),
    (["diff", "no/such.yaml", "catalogue/cities/fuzhou.yaml"], "no such file: no/such.yaml"),
    (["diff", "catalogue/cities/fuzhou.yaml@-x", "catalogue/cities/fuzhou.yaml"], "the revision '-x' cannot start with -"),
    (["serve", "no/such/folder"], "the catalogue folder does not exist: no/such/folder"),
    (["upgrade", "catalogue"], "not a file: catalogue (upgrade upgrades one list file at a time)"),
    (["export", "xlsx", "catalogue", "--out", "matrix.csv"], "the output file must end in .xlsx: matrix.csv"),
    (["new", "漳平市", "catalogue", "--floor", "fujian@9"], "the floor list 'fujian' has no edition 9"),
    (["new", "漳平市", "catalogue", "--floor", "fujian", "--id", "Bad_ID"], "the list id 'Bad_ID' is not valid"),
    (["nonsense"], "invalid command line: argument command: invalid choice: 'nonsense'"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_each_command_fails_in_english(argv, expected, capsys, monkeypatch):
    """With --lang en a failure says so in English, with the same exit status as in Chinese."""
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, *argv, "--lang", "en")
    assert code == 2 and expected in err and "Traceback" not in err
    assert not unquoted_chinese(err, *argv), err
    code_zh, _, err_zh = run(capsys, *argv)
    assert code_zh == 2 and CJK.search(err_zh.replace("漳平市", ""))


def test_the_language_is_read_from_the_command_line_before_it_is_parsed():
    """`--lang en` and `--lang=en` count, anything after `--` does not, and the last one wins."""
    assert requested_lang(["check", "--lang", "en"]) == "en"
    assert requested_lang(["check", "--lang=en", "--lang", "zh"]) == "zh"
    assert requested_lang(["check", "--", "--lang", "en"]) == "zh"
    assert requested_lang(["check", "--lang"]) == "zh"


def test_an_internal_error_is_reported_in_english(capsys, monkeypatch):
    """A bug in qingdan (here: a command that raises) is one English line and exit 3, not a traceback."""
    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr("compiler.cli.commands.codes.run", broken)
    code, _, err = run(capsys, "codes", "--lang", "en")
    assert code == 3 and "internal error (RuntimeError: boom)" in err and "bug in qingdan" in err
    assert not CJK.search(err)


def test_the_deadline_reasoning_names_rest_days_in_english(capsys):
    """The English reasoning names the holiday in English (it used the Chinese name)."""
    code, out, _ = run(capsys, "deadlines", "--issued", "2025-01-19", "--as-of", "2026-11-29", "--lang", "en")
    assert code == 0 and "a rest day (Spring Festival holiday)" in out and not CJK.search(out)


def test_check_and_diff_name_the_related_places_in_english(capsys, monkeypatch, tmp_path):
    """A finding's related place (the floor provision, the old edition's item) is labelled in English."""
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "check", "catalogue/cities/quanzhou.yaml", "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert code == 1 and "related: catalogue/province/fujian.yaml:172:29 floor department 省人社厅" in out
    assert "fix: add 市人社局 to departments" in out and not unquoted_chinese(out)
    old = (CATALOGUE / "cities/fuzhou.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(old.replace("\nedition: 1\n", "\nedition: 2\n", 1).replace(
        "- id: fz-summer\n", "- id: fz-summer-new\n", 1), encoding="utf-8")
    code, out, _ = run(capsys, "diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--lang", "en")
    assert "old item fz-summer" in out and not unquoted_chinese(out)


# ---- build and serve ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def english_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`qingdan build --lang en --no-pdf` of the bundled catalogue, into `public` relative to where it runs."""
    folder = tmp_path_factory.mktemp("english")
    done = qingdan_cli("build", str(CATALOGUE), "--out", "public", "--as-of", AS_OF.isoformat(), "--no-pdf",
                       "--lang", "en", cwd=folder)
    return folder / "public", done


def test_the_build_summary_is_in_english(english_build):
    """The progress and the summary of an English build are English (and a relative --out, the default, works)."""
    _, done = english_build
    assert done.returncode == 0, done.stderr
    assert "published 12 lists to public/" in done.stdout and "8 meet their floor, 4 fall below it" in done.stdout
    assert "… checking the lists" in done.stderr and "… site (mkdocs)" in done.stderr
    assert not CJK.search(done.stdout + done.stderr)


def test_the_report_page_is_in_english(english_build):
    """Labels, cells, deadline states, reasoning, legal bases and diagnostics are English; list text is quoted."""
    out, _ = english_build
    html = (out / "report/index.html").read_text(encoding="utf-8")
    text = page_text(out, "report/index.html")
    assert '<div lang="en">' in html and squash("Reviewers' report") in text
    assert squash("missing QD301") in text and squash("weakened QD320 QD304") in text  # the text's finding, then the field's
    assert squash("filed late by 14 days") in text and squash("Civil Code arts. 201 and 203") in text
    assert squash("is not counted (art. 201)") in text and squash("below its floor") in text
    assert squash("floor provision s09-1 of fujian@1") in text and squash("Fix: ") in text
    assert squash("新华书店“见书香,点亮梦想”读书角") in text  # an erratum, quoted as written
    content = html.split('<div lang="en">', 1)[1].split("</article>", 1)[0]
    assert not unquoted_chinese(content)


def test_the_rest_of_the_site_stays_chinese(english_build):
    """The families' pages do not change with --lang en: the home page is still in Chinese."""
    out, _ = english_build
    assert "审核报告" in page_text(out, "index.html") and 'lang="zh' in (out / "index.html").read_text(encoding="utf-8")


def test_the_report_pdf_is_in_english(tmp_path):
    """The report PDF says the same in English: language en, English words and page numbers."""
    report = report_context(pipeline.check([CATALOGUE], AS_OF), "en")
    pdf = tmp_path / "report.pdf"
    render_report_pdf(report, ("福州市",), pdf)
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = squash(raw)
    for words in ("reviewers' report", "missing", "weakened", "Civil Code", "filed late by 14 days", "Page 1 of",
                  "All diagnostics", "floor provision s09-1"):
        assert squash(words) in text, words
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "en"
    assert not unquoted_chinese(raw, "福州市")


def test_the_report_labels_are_complete_in_both_languages():
    """Every label the report uses exists in Chinese and in English."""
    assert LABELS["zh"].keys() == LABELS["en"].keys()


def test_the_language_is_part_of_what_a_build_depends_on(tmp_path):
    """A build in English after one in Chinese is not 'up to date', and the report PDF has another cache key."""
    zh = BuildOptions(CATALOGUE, tmp_path / "o", AS_OF)
    en = BuildOptions(CATALOGUE, tmp_path / "o", AS_OF, lang="en")
    assert _input_digest(zh) != _input_digest(en)
    check = pipeline.check([CATALOGUE], AS_OF)
    assert report_context(check) != report_context(check, "en")


def test_the_preview_speaks_english_and_says_when_it_is_stopped(catalogue_copy):
    """`serve --lang en` reports its builds and address in English, and 'interrupted' when stopped."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "serve", str(catalogue_copy), "--port", str(port),
                             "--as-of", AS_OF.isoformat(), "--lang", "en"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("preview at" in line for line in lines):
            lines.append(proc.stderr.readline())
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.communicate(timeout=30)
    err = "".join(lines) + err
    assert "built 12 lists" in err and f"preview at http://127.0.0.1:{port}/" in err
    assert "below their floor: " in err and "qingdan: interrupted" in err and proc.returncode == 130
    assert not unquoted_chinese(err)


def test_a_usage_error_found_while_parsing_uses_the_raw_command_line(capsys):
    """`--lang en` counts even when argparse itself rejects the command line (no parsed value yet)."""
    code, _, err = run(capsys, "check", "--format", "xml", "--lang", "en")
    assert code == 2 and err.splitlines()[-1].startswith("qingdan: invalid command line: argument --format")


# ---- help --------------------------------------------------------------------------------------

def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path the parser knows (`()`, `("check",)`, `("export", "xlsx")`, ...)."""
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, prefix + (name,))
    return found


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", _commands(build_parser()), ids=lambda c: " ".join(c) or "qingdan")
def test_every_help_is_english_with_lang_en(command, capsys):
    """`-h` of the program and of every (sub)command has no Chinese when `--lang en` follows it."""
    text = help_text(capsys, *command, "-h", "--lang", "en")
    assert "usage: qingdan" in text and not CJK.findall(text)


def test_lang_en_before_h_also_gives_english_help(capsys):
    """`--lang en` counts wherever it stands, before `-h` as well as after it."""
    text = help_text(capsys, "check", "--lang", "en", "-h")
    assert "check afresh without the cache" in text and not CJK.findall(text)


def test_help_stays_chinese_by_default(capsys):
    """Without `--lang en` the help is Chinese, and `--version` speaks no language."""
    assert "核查" in help_text(capsys, "check", "-h")
    assert "流动儿童" in help_text(capsys, "-h")
    assert help_text(capsys, "--version", "--lang", "en") == help_text(capsys, "--version")


def test_check_json_in_english_gives_the_deadline_reasoning_in_english(capsys):
    """`check --format json --lang en` gives each list's filing and renewal reasoning in English too."""
    code, out, _ = run(capsys, "check", str(CATALOGUE), "--as-of", AS_OF.isoformat(), "--format", "json",
                       "--lang", "en", "--no-cache")
    report = json.loads(out)
    steps = [s for c in report["catalogues"] for k in ("filing_reasoning", "renewal_reasoning") for s in c[k]]
    assert steps and not any(CJK.search(s) for s in steps)


@pytest.mark.parametrize("text", [
    "id: x\ntitle: [福州市\n",  # an unclosed bracket
    "id: x\ntitle: a: b\n",  # a colon in a plain value
    "id: x\n\x07title: 福州\n",  # a control character
    "id: x\n---\nid: y\n",  # two documents
    "id: x\ntitle: \"\\q\"\n",  # an unknown escape
    "id: x\ntitle: !a%25zz 福州\n",  # a percent escape in a tag
])
def test_a_syntax_error_is_explained_in_english(text, catalogue_copy, capsys):
    """QD101's English message carries the English problem, not the Chinese one beside it."""
    broken = catalogue_copy / "cities" / "broken.yaml"
    broken.write_bytes(text.encode("utf-8"))
    code, out, _ = run(capsys, "check", str(broken), "--lang", "en", "--no-cache", "--as-of", AS_OF.isoformat())
    assert code == 1
    line = next(line for line in out.splitlines() if "QD101" in line)
    assert "YAML syntax error: " in line and not CJK.search(line), line
    code, out, _ = run(capsys, "check", str(broken), "--no-cache", "--as-of", AS_OF.isoformat())
    assert "YAML 语法错误：" in next(line for line in out.splitlines() if "QD101" in line)
