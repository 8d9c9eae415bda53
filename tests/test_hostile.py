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
from conftest import AS_OF, BASE_URL, CATALOGUE, ROOT, shared_folder
from ruamel.yaml import YAML

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


@pytest.fixture(scope="session")
def poisoned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(tmp: Path) -> None:
        out = tmp / "public"
        done = qingdan("build", str(poisoned_catalogue(tmp)), "--out", str(out), "--as-of", AS_OF.isoformat(), "--no-pdf",
                       "--base-url", "https://qingdan.example.gov.cn/")
        assert_clean(done)
        assert (out / "lists/fuzhou/index.html").is_file() and (out / "lists/fujian/index.html").is_file(), done.stderr

    return shared_folder(tmp_path_factory, "poisoned", make) / "public"


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
    """The site's own search index (a manifest and a shard per province) is valid JSON holding the payload
    only as data, and its script puts every result on the page as text, never as markup."""
    shards = sorted((poisoned_site / "search").glob("*.json"))
    assert len(shards) >= 2
    values = [v for shard in shards for v in _strings(json.loads(shard.read_text(encoding="utf-8")))]
    assert any("<script>alert(4)</script>" in v for v in values)  # the list's words, kept as they are
    script = (poisoned_site / "assets" / "search.js").read_text(encoding="utf-8")
    assert "textContent" in script
    assert not any(w in script for w in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("))


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


@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["no cache", "cached"])
@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_check_never_reads_or_quotes_a_file_outside_the_catalogue(fmt: str, cache: list[str], catalogue_copy: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from compiler.cli import main

    _plant(catalogue_copy, tmp_path)
    opened = _opened(monkeypatch)
    monkeypatch.chdir(catalogue_copy.parent)
    mark = len(opened)
    status = main(["check", "catalogue", "catalogue/cities/ext/evil2.yaml", "--as-of", AS_OF.isoformat(),
                   "--format", fmt, *cache])  # with the cache: its index, findings and review records hash no link out
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


# ---- writes: never through a symlink, never outside, failures are clear -----------------------------


def _writers(catalogue: Path, dest: Path) -> dict[str, list[str]]:
    return {
        "status --ics": ["status", str(catalogue), "--ics", str(dest.with_suffix(".ics")), "--as-of", AS_OF.isoformat()],
        "export xlsx": ["export", "xlsx", str(catalogue), "--out", str(dest.with_suffix(".xlsx")), "--as-of", AS_OF.isoformat()],
    }


@pytest.mark.parametrize("command", ["status --ics", "export xlsx"])
@pytest.mark.parametrize("target", ["file", "dangling", "list"])
def test_a_write_never_follows_a_symlink_at_the_destination(command: str, target: str, catalogue_copy: Path,
                                                            tmp_path: Path) -> None:
    """The link's target (a user's file, a list in the catalogue, or a path not yet made) is never written."""
    dest = tmp_path / "out" / "result"
    dest.parent.mkdir()
    args = _writers(catalogue_copy, dest)[command]
    link = Path(args[args.index("--ics" if "--ics" in args else "--out") + 1])
    victim = {"file": tmp_path / "precious.txt", "dangling": tmp_path / "not-yet.txt",
              "list": catalogue_copy / "cities/fuzhou.yaml"}[target]
    if target == "file":
        victim.write_text("precious\n", encoding="utf-8")
    before = victim.read_bytes() if victim.exists() else None
    link.symlink_to(victim)
    done = qingdan(*args)
    assert_clean(done, (2,))
    assert "符号链接" in done.stderr
    assert (victim.read_bytes() if victim.exists() else None) == before
    assert link.is_symlink()
    assert [p.name for p in dest.parent.iterdir()] == [link.name]  # no temporary file left


@pytest.mark.parametrize("how", ["folder-link", "dotdot", "absolute-outside"])
def test_new_never_writes_outside_the_catalogue(how: str, catalogue_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (catalogue_copy / "linked").symlink_to(outside)
    out = {"folder-link": catalogue_copy / "linked" / "x.yaml",
           "dotdot": catalogue_copy / "cities" / ".." / ".." / "elsewhere" / "y.yaml",
           "absolute-outside": outside / "z.yaml"}[how]
    done = qingdan("new", "测试市", "--floor", "fujian@1", "--id", "testcity", "--out", str(out), str(catalogue_copy))
    assert_clean(done, (2,))
    assert list(outside.iterdir()) == []


def _too_long(tmp_path: Path) -> Path:
    return tmp_path / ("长" * 120)  # 360 bytes: over the 255 a file name may have


@pytest.mark.parametrize("command", ["status --ics", "export xlsx", "build", "new"])
def test_a_path_too_long_is_a_clear_message(command: str, catalogue_copy: Path, tmp_path: Path) -> None:
    long = _too_long(tmp_path)
    args = {**_writers(catalogue_copy, long),
            "build": ["build", str(catalogue_copy), "--out", str(long), "--no-pdf", "--as-of", AS_OF.isoformat()],
            "new": ["new", "测试市", "--floor", "fujian@1", "--id", "testcity", "--out",
                    str(catalogue_copy / "cities" / ("长" * 120 + ".yaml")), str(catalogue_copy)]}[command]
    done = qingdan(*args)
    assert_clean(done, (2,))
    assert "文件名过长" in done.stderr


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EROFS", "EDQUOT", "EIO"])
@pytest.mark.parametrize("command", ["status --ics", "export xlsx", "build"])
def test_a_full_or_read_only_disk_is_a_clear_message(errno_name: str, command: str, catalogue_copy: Path,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Every write fails the way a full or read-only disk fails it: exit 2 and the reason, never 内部错误."""
    import errno as errnos

    from compiler.cli import main

    code = getattr(errnos, errno_name)
    real_open = os.open

    def failing_open(path, flags, *args, **kwargs):  # every file opened for writing
        if flags & (os.O_WRONLY | os.O_RDWR) and str(tmp_path / "out") in os.fsdecode(path):
            raise OSError(code, os.strerror(code), path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    monkeypatch.setenv("QINGDAN_DEBUG", "1")
    (tmp_path / "out").mkdir()
    dest = tmp_path / "out" / "result"
    args = {**_writers(catalogue_copy, dest),
            "build": ["build", str(catalogue_copy), "--out", str(dest), "--no-pdf", "--as-of", AS_OF.isoformat()]}[command]
    import builtins

    real_builtin_open = builtins.open

    def failing_builtin_open(file, mode="r", *a, **k):
        if any(m in mode for m in "wax+") and str(tmp_path / "out") in os.fsdecode(file):
            raise OSError(code, os.strerror(code), file)
        return real_builtin_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", failing_builtin_open)
    status = main(args)
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err and "内部错误" not in err, err
    words = {"ENOSPC": "磁盘空间不足", "EROFS": "只读", "EDQUOT": "磁盘配额", "EIO": "读写错误"}[errno_name]
    assert words in err


# ---- extreme values in one list: checked, named, left out of build; the rest published ---------------

ERRATUM = "errata:\n  - where: {where}\n    original: 厦门\n    corrected: 厦门市\n    reason: 测试\n"
EXTREMES = {  # id -> (old, new) in xiamen.yaml
    "issued-9999": ("issued: 2025-03-03", "issued: 9999-12-31"),
    "issued-0001": ("issued: 2025-03-03", "issued: 0001-01-01"),
    "filed-9999": ("filed: 2025-03-12", "filed: 9999-12-31"),
    "edition-300-digits": ("edition: 1\n", f"edition: {'9' * 300}\n"),
    "edition-5000-digits": ("edition: 1\n", f"edition: {'9' * 5000}\n"),
    "floor-edition-300-digits": ("  edition: 1\n", f"  edition: {'9' * 300}\n"),
    "errata-index-5000-digits": ("sample: true\n", "sample: true\n" + ERRATUM.format(where=f"groups[{'9' * 5000}].name")),
    "errata-index-negative": ("sample: true\n", "sample: true\n" + ERRATUM.format(where="groups[-1].name")),
    "standard-inf": ("value: 3, unit: 岁", "value: .inf, unit: 岁"),
    "standard-nan": ("value: 3, unit: 岁", "value: .nan, unit: 岁"),
    "standard-minus-inf": ("value: 3, unit: 岁", "value: -.inf, unit: 岁"),
    "standard-1e400": ("value: 3, unit: 岁", "value: 1e400, unit: 岁"),
    "standard-huge-int": ("value: 3, unit: 岁", f"value: {'9' * 400}, unit: 岁"),
}


def _extreme(catalogue: Path, case: str) -> None:
    path = catalogue / "cities/xiamen.yaml"
    old, new = EXTREMES[case]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def qingdan_here(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess:
    """The command run in this process, for what it reports rather than how its process ends
    (QINGDAN_DEBUG=1 is the caller's): a fifth of the time of a process of its own."""
    from compiler.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out, err)


@pytest.mark.parametrize("case", list(EXTREMES))
def test_an_extreme_value_is_a_finding_in_every_command(case: str, catalogue_copy: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command reports the value as a finding (in this process), and a real process checking
    the list alone exits 1 with an error."""
    _extreme(catalogue_copy, case)
    monkeypatch.setenv("QINGDAN_DEBUG", "1")
    for args in (["check", str(catalogue_copy), "--format", "json"], ["check", str(catalogue_copy)],
                 ["status", str(catalogue_copy), "--format", "json"], ["status", str(catalogue_copy)],
                 ["status", str(catalogue_copy), "--ics", str(tmp_path / "c.ics")],
                 ["export", "xlsx", str(catalogue_copy), "--out", str(tmp_path / "x.xlsx")]):
        done = qingdan_here(capsys, *args, "--as-of", AS_OF.isoformat())
        assert_clean(done, (0, 1))
        assert "xiamen" in done.stdout + done.stderr or args[0] == "export", args
    done = qingdan("check", str(catalogue_copy / "cities/xiamen.yaml"), "--format", "json", "--as-of", AS_OF.isoformat())
    assert done.returncode == 1
    assert [d for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"]


@pytest.mark.parametrize("case", ["issued-9999", "edition-300-digits", "standard-inf", "errata-index-5000-digits"])
def test_an_extreme_value_leaves_its_list_out_of_the_build_only(case: str, catalogue_copy: Path, tmp_path: Path) -> None:
    _extreme(catalogue_copy, case)
    out = tmp_path / "public"
    done = qingdan("build", str(catalogue_copy), "--out", str(out), "--no-pdf", "--as-of", AS_OF.isoformat())
    assert_clean(done, (0, 1))
    assert (out / "lists/fuzhou/index.html").is_file()
    for path in (out / "data").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"), parse_constant=lambda c, path=path: pytest.fail(f"{c} in {path}"))
    if case != "errata-index-5000-digits":  # a bad erratum is a finding; the list is still published
        assert done.returncode == 1 and "xiamen" in done.stderr and not (out / "lists/xiamen").exists()


@pytest.mark.parametrize("value", ["abc", "-1", "1e20", "99999999999999999999", "", " 1 "])
def test_source_date_epoch_that_is_not_a_time_is_refused_or_ignored(value: str, tmp_path: Path) -> None:
    done = qingdan("build", str(CATALOGUE), "--out", str(tmp_path / "public"), "--no-pdf", "--as-of",
                   AS_OF.isoformat(), env={"SOURCE_DATE_EPOCH": value})
    assert_clean(done, (0, 2))
    if done.returncode == 2:
        assert "SOURCE_DATE_EPOCH" in done.stderr


@pytest.mark.parametrize("args", [["check", "--as-of", "9999-12-31"], ["status", "--as-of", "9999-12-31"],
                                  ["status", "--as-of", "0001-01-01"], ["deadlines", "--issued", "9999-12-31"],
                                  ["deadlines", "--issued", "0001-01-01"],
                                  ["deadlines", "--issued", "2025-01-01", "--filed", "9999-12-31"],
                                  ["export", "xlsx", "--as-of", "9999-12-31", "--out", "x.xlsx"]])
def test_an_extreme_date_on_the_command_line_is_a_usage_error(args: list[str], tmp_path: Path) -> None:
    full = [*args[:1], *(["xlsx"] if args[0] == "export" else []), *([str(CATALOGUE)] if args[0] != "deadlines" else []),
            *[a for a in args[1:] if a != "xlsx"]]
    done = qingdan(*full, cwd=tmp_path)
    assert_clean(done, (0, 1, 2))
    if "9999" in " ".join(args) or "0001" in " ".join(args):
        assert done.returncode == 2 and "日期" in done.stderr


# ---- 4. one list never stops the others ---------------------------------------------------------------


def _bad_name(catalogue: Path) -> None:
    text = (catalogue / "cities/xiamen.yaml").read_text(encoding="utf-8").replace("id: xiamen", "id: xiamen-gbk", 1)
    (catalogue / os.fsdecode(b"cities/\xcf\xc3\xc3\xc5.yaml")).write_text(text, encoding="utf-8")  # 厦门 in GBK


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["check", "--format", "sarif"], ["check"],
                                     ["status"], ["status", "--format", "json"]])
def test_a_file_name_that_is_not_utf8_is_named_in_every_output(command: list[str], catalogue_copy: Path) -> None:
    _bad_name(catalogue_copy)
    done = qingdan(*command[:1], str(catalogue_copy), *command[1:], "--as-of", AS_OF.isoformat())
    assert_clean(done, (0, 1))
    if command[0] == "check":  # status lists only valid lists; check names every file
        assert done.returncode == 1 and "xcf" in done.stdout and "xc5.yaml" in done.stdout


def _overflowing_poster(catalogue: Path) -> None:
    """Xiamen's title too long for its publications: past the 255 characters a Word edition's title
    property may hold, and longer than one poster sheet shows well. A few hundred characters are
    enough; thousands only make every poster layout the build tries take minutes."""
    path = catalogue / "cities/xiamen.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(old, old + "很长的标题" * 60, 1), encoding="utf-8")


@pytest.mark.parametrize("breakage", ["poster", "file-name"])
def test_one_list_that_cannot_be_published_is_left_out_and_named(breakage: str, catalogue_copy: Path,
                                                                  tmp_path: Path, warm_cache: Path) -> None:
    (_overflowing_poster if breakage == "poster" else _bad_name)(catalogue_copy)
    out = tmp_path / "public"
    # The catalogue named as the shared build names it, with its cache: only xiamen's PDFs are rendered.
    args = ("build", "catalogue", "--out", str(out), "--as-of", AS_OF.isoformat(), "--base-url", BASE_URL,
            *(["--no-pdf"] if breakage == "file-name" else []))
    done = qingdan(*args, cwd=catalogue_copy.parent, env={"QINGDAN_CACHE": str(warm_cache)})
    assert_clean(done, (1,))
    assert "未发布" in done.stderr and ("xiamen" in done.stderr or "\\xcf" in done.stderr), done.stderr
    assert (out / "lists/fuzhou/index.html").is_file() and (out / "lists/fujian/index.html").is_file()
    if breakage == "poster":
        assert not (out / "lists/xiamen").exists() and not list((out / "pdf").glob("xiamen-*"))
        assert (out / "pdf/fuzhou-1-poster.pdf").is_file()
        index = json.loads((out / "data/index.json").read_text(encoding="utf-8"))
        assert "xiamen" not in {entry["id"] for entry in index["lists"]}
        again = qingdan(*args, cwd=catalogue_copy.parent)  # up to date: still says what was left out, still exit 1
        assert again.returncode == 1 and "xiamen" in again.stderr, again.stderr


# ---- 5. data: spreadsheets, numbers, terminals ----------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/","点我")', "=cmd|' /C calc'!A0", "=1+1", "+SUM(A1:A2)", "@SUM(1)"]


def test_export_writes_every_text_cell_as_text(catalogue_copy: Path, tmp_path: Path) -> None:
    import zipfile

    from openpyxl import load_workbook

    path = catalogue_copy / "cities/xiamen.yaml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    text = text.replace(title, f"title: '{FORMULAS[0]}'", 1).replace("issuer: 厦门市民政局等部门（示例）",
                                                                       f"issuer: \"{FORMULAS[1]}\"", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "x.xlsx"
    done = qingdan("export", "xlsx", str(catalogue_copy), "--out", str(out), "--as-of", AS_OF.isoformat())
    assert_clean(done, (0, 1))
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    values = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
    assert FORMULAS[0] in values or any(isinstance(v, str) and FORMULAS[0] in v for v in values)


# Written in YAML's double-quoted escapes: a screen clear, a window title, bidi overrides, a C1 CSI, a CR.
CONTROLS = "\\e[2J\\e]0;owned\\a\\u202e\\u2066abc\\u2069\\x9b31m a\\rb"


@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["check", "--format", "sarif"],
                                     ["status"], ["status", "--format", "json"], ["build"]])
def test_terminal_controls_in_list_text_are_shown_escaped(command: list[str], catalogue_copy: Path,
                                                          tmp_path: Path) -> None:
    path = catalogue_copy / "cities/xiamen.yaml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    bad = CONTROLS
    text = text.replace(title, f'title: "厦门{bad}清单"', 1).replace("jurisdiction: 厦门市", f'jurisdiction: "厦门{bad}市"', 1)
    text = text.replace("issued: 2025-03-03", f'issued: "2025{bad}"', 1)  # a message quotes the bad value
    path.write_text(text, encoding="utf-8")
    extra = ["--out", str(tmp_path / "public"), "--no-pdf"] if command[0] == "build" else []
    done = qingdan(command[0], str(catalogue_copy), *command[1:], *extra, "--as-of", AS_OF.isoformat())
    assert_clean(done, (0, 1))
    for stream in (done.stdout, done.stderr):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", stream.replace("\r\033[K", ""))
    if "json" in command or "sarif" in command:
        json.loads(done.stdout)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN", "1e400"])
def test_a_non_finite_standard_is_refused_and_the_open_data_stays_json(value: str, catalogue_copy: Path) -> None:
    path = catalogue_copy / "cities/xiamen.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 3, unit: 岁", f"value: {value}, unit: 岁", 1),
                    encoding="utf-8")
    done = qingdan("check", str(path), "--format", "json", "--as-of", AS_OF.isoformat())
    assert done.returncode == 1
    found = [d for d in json.loads(done.stdout)["diagnostics"] if d["code"] == "QD104"]
    assert found and "有限" in found[0]["message"]


# ---- 6. the cache, concurrent edits, signals ---------------------------------------------------------


def _pdfs_ok(out: Path) -> None:
    for pdf in (out / "pdf").glob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:], pdf
        assert not pdf.is_symlink()


def test_a_damaged_or_planted_pdf_cache_entry_is_rendered_again(tmp_path: Path, warm_cache: Path) -> None:
    """The cache a first build of the catalogue left, damaged three ways: the next build renders those again."""
    cache = warm_cache
    env = {"QINGDAN_CACHE": str(cache)}
    entries = sorted(p for p in cache.rglob("*") if p.is_file() and p.read_bytes()[:5] == b"%PDF-")
    assert len(entries) >= 4
    entries[0].write_bytes(entries[0].read_bytes()[:1000])  # truncated
    entries[1].unlink()
    entries[1].symlink_to("/etc/passwd")  # planted
    entries[2].write_bytes(b"%PDF-1.7\n" + b"x" * (len(entries[2].read_bytes()) - 9))  # same size, other content
    second = qingdan("build", str(CATALOGUE), "--out", str(tmp_path / "two"), "--as-of", AS_OF.isoformat(),
                     "--base-url", BASE_URL, env=env)
    assert_clean(second, (0,))
    # Each damaged entry is rendered again with its job: three, or more where a poster brings its A3 twin.
    rendered = re.search(r"本次生成 (\d+) 个", second.stdout)
    assert rendered and 3 <= int(rendered.group(1)) <= 6, second.stdout
    _pdfs_ok(tmp_path / "two")
    assert not any(b"root:x:0" in p.read_bytes() for p in (tmp_path / "two/pdf").iterdir())


# ---- 7. small things ------------------------------------------------------------------------------------


def test_a_jieba_cache_planted_in_the_shared_temp_folder_is_not_used(tmp_path: Path) -> None:
    """jieba caches its dictionary in the temp folder by default; anyone can plant one there that
    changes how the search index is cut into words. qingdan keeps it in its own cache folder."""
    import marshal

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    with (shared / "jieba.cache").open("wb") as f:
        marshal.dump(({"育": 0, "育服": 10**9, "托": 1, "务": 1}, 10**9 + 2), f)  # cuts 托育服务 as 托/育服/务
    cache = tmp_path / "cache"
    out = tmp_path / "public"
    done = qingdan("build", str(CATALOGUE), "--out", str(out), "--no-pdf", "--as-of", AS_OF.isoformat(),
                   env={"TMPDIR": str(shared), "QINGDAN_CACHE": str(cache)})
    assert_clean(done, (0,))
    words = {w for shard in (out / "search").glob("*.json") for w in _strings(json.loads(shard.read_text(encoding="utf-8")))}
    assert "托育" in words and "育服" not in words  # cut as words by the real dictionary
    assert list((cache / "jieba").glob("jieba*.cache"))


def _strings(value: object) -> list[str]:
    """Every string inside a JSON document, keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
