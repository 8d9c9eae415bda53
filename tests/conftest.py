"""Shared fixtures: the bundled catalogue, temporary copies of it, and the CLI."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def qingdan_cli(*args: str, cwd: Path = ROOT, timeout: int = 900, env: dict | None = None):
    """Run the real `qingdan` command in a subprocess."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def generated_corpus(out: Path, provinces: int = 2, cities: int = 3, counties: int = 5) -> Path:
    """A small catalogue made by bench/generate.py at `out`: 1 national list and the lists asked for."""
    import subprocess

    done = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(out), "--provinces",
                           str(provinces), "--cities", str(cities), "--counties", str(counties)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `make` once per run: the first of the parallel test workers to
    ask makes it while the others wait, then all of them read it (and none may change it)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed to make it left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _full_build(folder: Path) -> None:
    # 49 files (editions, Word editions, A4 and A3 posters, report): on a shared, loaded machine this
    # can take several minutes of wall time, though a few of CPU.
    done = qingdan_cli("build", str(CATALOGUE), "--out", str(folder / "public"), "--as-of", AS_OF.isoformat(),
                       "--base-url", BASE_URL, timeout=1200, env={**os.environ, "QINGDAN_CACHE": str(folder / "cache")})
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full `qingdan build` of the bundled catalogue (site, PDFs, report, data), shared by the tests."""
    return shared_folder(tmp_path_factory, "build", _full_build) / "public"


@pytest.fixture
def warm_cache(built_site: Path, tmp_path: Path) -> Path:
    """A private copy of the PDF cache `built_site` filled: a build of the same lists with the same
    --as-of and --base-url takes every PDF from it, and a changed list renders only its own."""
    target = tmp_path / "cache"
    shutil.copytree(built_site.parent / "cache", target, symlinks=True)
    return target


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

    def make(tmp: Path) -> None:
        done = qingdan_cli("build", str(hostile_catalogue(tmp)), "--out", str(tmp / "public"), "--as-of",
                           AS_OF.isoformat(), "--no-pdf")
        assert done.returncode == 0, done.stderr

    return shared_folder(tmp_path_factory, "hostile", make) / "public"


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


CHROMIUM = "/usr/bin/chromium"
# Flags for a sandboxed machine with no network: no first-run work, no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 at a free port (search and the finder fetch their data, which
    file:// would refuse); yields the site's address."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


@contextmanager
def chromium() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
