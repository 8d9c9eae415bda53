"""A hostile catalogue and a hostile machine: every string field full of markup, files and links
that lead outside the catalogue, writes through symlinks, extreme values, failing disks.

None of it may run script on a published page, read a file outside the catalogue, write outside
the output, print a traceback, or exit with anything but 0, 1 or 2 (issue "Hardening, round two").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import AS_OF, CATALOGUE, ROOT

PAYLOAD = ("![x](http://evil.example/x.png){: onerror=alert(1) } <img src=x onerror=alert(2)> "
           "[y](javascript:alert(3)){: .evil } <script>alert(4)</script> {#evil-id} *e* `c` &amp; ")


def qingdan(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real command in a real process, with tracebacks shown if any happen."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), "QINGDAN_DEBUG": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=full)


def assert_clean(done: subprocess.CompletedProcess, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert done.returncode in codes, (done.returncode, done.stderr)


# ---- 1. every string field of the format, through every template --------------------------------


# An erratum's `original` must occur in the text it corrects, and `where` names a field: poisoned,
# they would only make the list invalid. Every other string is poisoned or put back by line.
_KEEP = {"original", "where"}


def _poison(node: Any, skip: set[tuple]) -> None:
    """Append the payload to every string value (in place), except at the lines in `skip`."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, str) and key not in _KEEP:
            line = node.lc.key(key)[0] + 1 if isinstance(node, dict) else node.lc.item(key)[0] + 1
            if line not in skip:
                node[key] = value + " " + PAYLOAD
        else:
            _poison(value, skip)


def poisoned_catalogue(tmp: Path) -> Path:
    """The bundled catalogue with the payload in every string of the floor and of fuzhou's list
    that can hold it and stay a valid list (ids, enums and references are put back)."""
    root = tmp / "catalogue"
    shutil.copytree(CATALOGUE, root)
    y = YAML()
    y.width = 10_000
    files = {name: root / name for name in ("province/fujian.yaml", "cities/fuzhou.yaml")}
    skip: dict[str, set[int]] = {name: set() for name in files}
    for _ in range(6):
        for name, path in files.items():
            data = y.load((CATALOGUE / name).read_text(encoding="utf-8"))
            _poison(data, skip[name])
            with path.open("w", encoding="utf-8") as out:
                y.dump(data, out)
        done = qingdan("check", str(root), "--as-of", AS_OF.isoformat(), "--format", "json")
        found = [d for d in json.loads(done.stdout)["diagnostics"]
                 if d["code"][:3] in ("QD1", "QD2") and any(d["file"].endswith(n) for n in files)]
        if not found:
            return root
        for d in found:
            skip[next(n for n in files if d["file"].endswith(n))].add(d["line"])
    raise AssertionError("the poisoned lists never became valid")


class _Live(HTMLParser):
    """Collects markup that a list's text must never have become."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            # a tel: link dials what it says; only an address that fetches or runs counts
            link = not value.startswith("tel:") and name in ("href", "src", "srcset", "action", "formaction", "poster", "data")
            if (name.startswith("on") or (name in ("id", "class") and "evil" in value)
                    or (link and ("evil.example" in value or value.strip().lower().startswith("javascript:")))):
                self.found.append(f"<{tag} {name}={value!r}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.found.append(f"script {data[:80]!r}")


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("poisoned")
    out = tmp / "public"
    done = qingdan("build", str(poisoned_catalogue(tmp)), "--out", str(out), "--as-of", AS_OF.isoformat(), "--no-pdf",
                   "--base-url", "https://qingdan.example.gov.cn/")
    assert_clean(done)
    assert (out / "lists/fuzhou/index.html").is_file() and (out / "lists/fujian/index.html").is_file(), done.stderr
    return out


def test_no_list_text_becomes_live_markup_on_any_page(poisoned_site: Path) -> None:
    """Markdown, attr_list and HTML in every string field stay text on every built page."""
    pages = sorted(poisoned_site.rglob("*.html"))
    assert len(pages) > 10
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = _Live()
        parser.feed(text)
        assert not parser.found, (page.relative_to(poisoned_site), parser.found[:5])
        assert "<img src=x" not in text and "<script>alert" not in text, page
        shown += text.count("onerror=alert(1)")  # shown as text, escaped
    assert shown > 0, "the payload is shown as text somewhere"


def test_the_search_index_holds_no_live_markup(poisoned_site: Path) -> None:
    index = json.loads((poisoned_site / "search/search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "<img" not in doc["text"] and "<script" not in doc["text"] and "<img" not in doc["title"], doc["location"]


@pytest.mark.parametrize("url", ['https://qingdan.example.gov.cn/"><script>alert(1)</script>',
                                 "https://qingdan.example.gov.cn/<x>", "https://qingdan.example.gov.cn/ onload=x",
                                 "https://user:pw@qingdan.example.gov.cn/", "https://qingdan.example.gov.cn/\x1b[2J",
                                 "https://qingdan.example.gov.cn/?a=1#frag", "https://qing dan.example/"])
def test_a_base_url_that_is_not_a_plain_address_is_refused(url: str, tmp_path: Path) -> None:
    done = qingdan("build", str(CATALOGUE), "--out", str(tmp_path / "public"), "--no-pdf", "--base-url", url,
                   "--as-of", AS_OF.isoformat())
    assert done.returncode == 2 and "--base-url" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "public").exists()


# ---- 2. the catalogue's boundary -------------------------------------------------------------------

SECRET = "TOP-SECRET-7f3a: this file lies outside the catalogue"


def _outside_list(tmp_path: Path) -> Path:
    """A valid list kept outside the catalogue (id `evilcity`), and a secret beside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    text = (CATALOGUE / "cities/xiamen.yaml").read_text(encoding="utf-8")
    (outside / "evil.yaml").write_text(text.replace("id: xiamen", "id: evilcity", 1), encoding="utf-8")
    (outside / "secret.yaml").write_text(f"{SECRET}\n" * 50, encoding="utf-8")
    (outside / "sub").mkdir()
    (outside / "sub/evil2.yaml").write_text(text.replace("id: xiamen", "id: evilcity2", 1), encoding="utf-8")
    return outside


LINKS = {  # name in the catalogue -> target, relative to the folder holding the outside files
    "passwd.yaml": "/etc/passwd",
    "secret.yaml": "outside/secret.yaml",
    "cities/evil.yaml": "outside/evil.yaml",
    "cities/relative.yml": "../../outside/secret.yaml",
    "cities/ext": "outside/sub",
}


def _plant(root: Path, tmp_path: Path) -> None:
    _outside_list(tmp_path)
    for name, target in LINKS.items():
        link = root / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target if target.startswith(("/", "..")) else tmp_path / target)


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the process opens from now on, resolved (Python's audit hook sees every open)."""
    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if active[0] and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            try:
                seen.append(os.path.realpath(os.fsdecode(args[0])))
            except (TypeError, ValueError):
                pass

    sys.addaudithook(hook)
    monkeypatch.setattr("os.environ", os.environ)  # the hook stays; `active` ends it with the test
    yield_ = seen
    return yield_


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_check_never_reads_or_quotes_a_file_outside_the_catalogue(fmt: str, catalogue_copy: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from compiler.cli import main

    _plant(catalogue_copy, tmp_path)
    opened = _opened(monkeypatch)
    monkeypatch.chdir(catalogue_copy.parent)
    mark = len(opened)
    status = main(["check", "catalogue", "catalogue/cities/ext/evil2.yaml", "--as-of", AS_OF.isoformat(),
                   "--format", fmt, "--no-cache"])
    out, err = capsys.readouterr()
    reads = [p for p in opened[mark:] if p.startswith((str(tmp_path / "outside"), "/etc/passwd"))]
    assert reads == [] and status == 1 and "Traceback" not in err
    assert SECRET not in out and "root:x:0" not in out and "evilcity" not in out
    for name in ("passwd.yaml", "secret.yaml", "cities/evil.yaml", "cities/relative.yml", "cities/ext/evil2.yaml"):
        assert name in out  # each is named, so the editor can find and remove it
    assert "清单目录之外" in out or "outside the catalogue" in out


def test_a_build_publishes_nothing_from_outside_the_catalogue(catalogue_copy: Path, tmp_path: Path) -> None:
    _plant(catalogue_copy, tmp_path)
    out = tmp_path / "public"
    done = qingdan("build", str(catalogue_copy), "--out", str(out), "--as-of", AS_OF.isoformat(), "--no-pdf")
    assert_clean(done, (1,))
    assert (out / "lists/fuzhou/index.html").is_file() and not (out / "lists/evilcity").exists()
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data and b"root:x:0" not in data and b"evilcity" not in data, path


def test_a_registry_linked_from_outside_is_refused(catalogue_copy: Path, tmp_path: Path) -> None:
    moved = tmp_path / "departments.yaml"
    shutil.move(catalogue_copy / "departments.yaml", moved)
    (catalogue_copy / "departments.yaml").symlink_to(moved)
    done = qingdan("check", str(catalogue_copy), "--as-of", AS_OF.isoformat(), "--format", "json", "--no-cache")
    assert_clean(done, (1,))
    found = [d for d in json.loads(done.stdout)["diagnostics"] if d["file"].endswith("departments.yaml")]
    assert found and found[0]["code"] == "QD100"


def test_links_that_stay_inside_the_catalogue_are_still_read(catalogue_copy: Path, tmp_path: Path) -> None:
    """The boundary is the resolved catalogue folder: a catalogue reached through a link, or a link
    from one of its folders to another, is inside."""
    (catalogue_copy / "counties/alias.yaml").symlink_to("../counties/minhou.yaml")
    link = tmp_path / "via-link"
    link.symlink_to(catalogue_copy)
    done = qingdan("check", str(link), "--as-of", AS_OF.isoformat(), "--format", "json", "--no-cache")
    assert_clean(done)
    codes = {(d["code"], Path(d["file"]).name) for d in json.loads(done.stdout)["diagnostics"]}
    assert {("QD206", "alias.yaml"), ("QD206", "minhou.yaml")} & codes  # read: one repeats the other's edition
    assert not any(code == "QD100" for code, _ in codes)


def test_a_file_that_is_not_a_list_is_quoted_only_in_a_short_excerpt(catalogue_copy: Path) -> None:
    (catalogue_copy / "notes.yaml").write_text("'" + SECRET * 40 + "'\n", encoding="utf-8")
    (catalogue_copy / "list.yaml").write_text("".join(f"- {SECRET} {k}\n" for k in range(40)), encoding="utf-8")
    done = qingdan("check", str(catalogue_copy), "--as-of", AS_OF.isoformat(), "--no-cache")
    assert_clean(done, (1,))
    assert done.stdout.count(SECRET) <= 2 and "QD109" in done.stdout
    lines = [line for line in done.stdout.splitlines() if "notes.yaml" in line]
    assert lines and all(len(line) < 300 for line in lines)


# ---- 3. crashes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    pytest.param("x: " + "[" * 30_000 + "]" * 30_000 + "\n", id="flow-lists-30000"),
    pytest.param("x: " + "{a: " * 30_000 + "1" + "}" * 30_000 + "\n", id="flow-mappings-30000"),
    pytest.param("x: " + "[{a: " * 20_000 + "\n", id="unclosed-mixed-40000"),
    pytest.param("x: " + "- [" * 30_000 + "\n", id="block-then-flow-30000"),
    pytest.param("x: [" + "[" * 900_000 + "\n", id="flow-900000"),
])
@pytest.mark.parametrize("command", ["check", "status", "build", "export"])
def test_deep_flow_nesting_never_reaches_the_composer(text: str, command: str, catalogue_copy: Path,
                                                      tmp_path: Path) -> None:
    """The C composer recurses once per level and crashes (exit 139) near 30,000: refused first."""
    (catalogue_copy / "cities/deep.yaml").write_text(text, encoding="utf-8")
    args = {"check": ["check", str(catalogue_copy), "--format", "json"],
            "status": ["status", str(catalogue_copy)],
            "build": ["build", str(catalogue_copy), "--out", str(tmp_path / "public"), "--no-pdf"],
            "export": ["export", "xlsx", str(catalogue_copy), "--out", str(tmp_path / "x.xlsx")]}[command]
    done = qingdan(*args, "--as-of", AS_OF.isoformat())
    assert_clean(done, (0, 1))
    assert "deep.yaml" in done.stdout + done.stderr
    if command == "check":
        found = [d for d in json.loads(done.stdout)["diagnostics"] if d["file"].endswith("deep.yaml")]
        # "- [" nests a flow list in a block one, which YAML forbids at the first "-" inside
        assert [(d["code"], d["line"], d["column"]) for d in found] in ([("QD110", 1, 1)], [("QD101", 1, 4)])
