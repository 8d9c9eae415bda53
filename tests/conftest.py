"""Shared fixtures: the bundled catalogue, temporary copies of it, and the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
from html.parser import HTMLParser
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


def qingdan_cli(*args: str, cwd: Path = ROOT, timeout: int = 300, env: dict | None = None):
    """Run the real `qingdan` command in a subprocess."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full `qingdan build` of the bundled catalogue (site, PDFs, report, data), shared by the tests."""
    out = tmp_path_factory.mktemp("build") / "public"
    done = qingdan_cli("build", str(CATALOGUE), "--out", str(out), "--as-of", AS_OF.isoformat(), "--base-url", BASE_URL)
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


# ---- helpers shared by several test modules ------------------------------------------------


def apply_edits(text: str, edits: list[dict]) -> str:
    """`text` with each {old, new} edit applied; each `old` must occur exactly once."""
    for edit in edits:
        assert text.count(edit["old"]) == 1, f"edit target not unique: {edit['old']!r}"
        text = text.replace(edit["old"], edit["new"])
    return text


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """The number of the first line containing `needle` (below the first containing `after`)."""
    lines = text.splitlines()
    start = line_of(text, after) if after else 0
    for number, line in enumerate(lines[start:], start + 1):
        if needle in line:
            return number
    raise AssertionError(f"no line contains {needle!r}")


def snapshot(root: Path) -> dict[str, str]:
    """Every entry below `root` with a hash of its content: any change, addition or removal shows."""
    state = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            state[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            state[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            state[rel] = "dir"
    return state


class _Page(HTMLParser):
    """The links, ids and text of one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> _Page:
    """The links, ids and text of the built page at `path`."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def squash(text: str) -> str:
    """`text` without whitespace: a table cell that wraps has a newline inside it."""
    return re.sub(r"\s+", "", text)


def page_text(site: Path, rel: str) -> str:
    """The visible text of the built page `rel` under `site`, squashed."""
    return squash("".join(parse(site / rel).text))
