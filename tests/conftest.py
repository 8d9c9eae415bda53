"""Shared fixtures: the bundled catalogue, temporary copies of it, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue"
AS_OF = dt.date(2026, 11, 29)

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test, and every qingdan it starts, caches in a folder of its own, never the user's."""
    import os

    previous = os.environ.get("QINGDAN_CACHE")
    os.environ["QINGDAN_CACHE"] = str(tmp_path_factory.mktemp("qingdan-cache"))
    yield
    if previous is None:
        del os.environ["QINGDAN_CACHE"]
    else:
        os.environ["QINGDAN_CACHE"] = previous


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled catalogue that a test may edit."""
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, target)
    return target


@pytest.fixture
def run_check(capsys, monkeypatch):
    """Run `qingdan check --format json` in-process; returns (exit code, parsed JSON)."""
    from compiler.cli import main

    def run(*paths: Path, as_of: dt.date = AS_OF, cwd: Path | None = None) -> tuple[int, dict]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(["check", *map(str, paths), "--as-of", as_of.isoformat(), "--format", "json"])
        out = capsys.readouterr().out
        return code, json.loads(out)

    return run


BASE_URL = "https://qingdan.example.gov.cn/"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and other things people look at after a run


def qingdan_cli(*args: str, cwd: Path = ROOT, timeout: int = 900, env: dict | None = None):
    """Run the real `qingdan` command in a subprocess."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full `qingdan build` of the bundled catalogue (site, PDFs, report, data), shared by the tests."""
    out = tmp_path_factory.mktemp("build") / "public"
    # 49 files (editions, Word editions, A4 and A3 posters, report): on a shared, loaded machine this
    # can take several minutes of wall time, though a few of CPU.
    done = qingdan_cli("build", str(CATALOGUE), "--out", str(out), "--as-of", AS_OF.isoformat(), "--base-url", BASE_URL,
                       timeout=1200)
    assert done.returncode == 0, done.stderr
    return out


HOSTILE = {
    "title: 福州市流动儿童在居住地享有关爱服务清单（示例）":
        "title: '福州</title><script>alert(1)</script> [x](javascript:alert(2))'",
    "jurisdiction: 福州市": "jurisdiction: '福州市</a><script>alert(3)</script>'",
    "text: 为0-3岁儿童提供中医调养服务":
        "text: '为0-3岁儿童 <img src=x onerror=alert(4)> **粗** [点](javascript:alert(5)) {#evil} --8<-- \"/etc/passwd\"'",
    "service: 学前教育服务": "service: '学前<b>教育</b>服务 ## head [a](b)'",
}


def hostile_catalogue(tmp_path: Path) -> Path:
    copy = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, copy)
    path = copy / "cities/fuzhou.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return copy


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """The site built from a catalogue whose fuzhou list is full of HTML, Markdown and script."""
    tmp = tmp_path_factory.mktemp("hostile")
    out = tmp / "public"
    done = qingdan_cli("build", str(hostile_catalogue(tmp)), "--out", str(out), "--as-of", AS_OF.isoformat(),
                       "--no-pdf")
    assert done.returncode == 0, done.stderr
    return out
