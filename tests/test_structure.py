"""Structure (QD1xx) and reference (QD2xx) diagnostics: exact code, line and column, exit status.

Most cases live in tests/cases/structure.yml: each edits a minimal city list, writes it into a
fresh catalogue beside the real departments registry and provincial floor, runs `qingdan check`
in-process and compares the complete set of QD1xx/QD2xx findings with the expected ones. Cases
that need bytes, folders, symlinks or timing are written here. Every run also asserts that
nothing reached stderr (QINGDAN_DEBUG=1 is set, so an internal error would print a traceback)
and that no file in the catalogue was changed.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot
from ruamel.yaml import YAML

from compiler import cli

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue"
CASES_FILE = Path(__file__).resolve().parent / "cases" / "structure.yml"
AS_OF = "2026-11-29"
CITY = "testcity.yaml"
STRUCTURAL = ("QD1", "QD2")
CJK = re.compile(r"[\u4e00-\u9fff]")

_SPEC = YAML(typ="safe").load(CASES_FILE.read_text(encoding="utf-8"))
BASE: str = _SPEC["base"]
CASES: list[dict[str, Any]] = _SPEC["cases"]


# ---- running qingdan --------------------------------------------------------------------------


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)

    def structural(self) -> list[tuple[str, str, int, int]]:
        """Every QD1xx/QD2xx finding as (code, file, line, column), sorted."""
        return sorted((d["code"], d["file"], d["line"], d["column"])
                      for d in self.report["diagnostics"] if d["code"].startswith(STRUCTURAL))

    def diagnostic(self, code: str, file: str, line: int, column: int) -> dict:
        found = [d for d in self.report["diagnostics"]
                 if (d["code"], d["file"], d["line"], d["column"]) == (code, file, line, column)]
        assert found, f"no {code} at {file}:{line}:{column}"
        return found[0]

    def assert_quiet(self) -> None:
        """No traceback, no internal error, nothing at all on stderr."""
        assert "Traceback" not in self.stderr
        assert self.status != 3, self.stderr
        assert self.stderr == ""


Runner = Callable[..., Result]


@pytest.fixture
def qingdan(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """`qingdan check` run in-process from inside the catalogue, so file names are relative."""
    monkeypatch.setenv("QINGDAN_DEBUG", "1")  # an internal error would print its traceback

    def run(root: Path, *paths: str, fmt: str = "json") -> Result:
        monkeypatch.chdir(root)
        capsys.readouterr()
        status = cli.main(["check", *(paths or (".",)), "--as-of", AS_OF, "--format", fmt])
        out, err = capsys.readouterr()
        return Result(status, out, err)

    return run


def subprocess_qingdan(cwd: Path, *args: str, prefix: tuple[str, ...] = (), timeout: float = 60,
                       memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m compiler` in a real process; `prefix` runs it under another command, `memory`
    caps its address space in bytes (so a runaway read fails fast instead of filling the machine)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QINGDAN_DEBUG": "1"}
    limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory))) if memory else None
    return subprocess.run([*prefix, sys.executable, "-m", "compiler", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit)


# ---- building catalogues ----------------------------------------------------------------------


def make_catalogue(tmp_path: Path) -> Path:
    """departments.yaml and province/fujian.yaml copied from the real catalogue."""
    root = tmp_path / "catalogue"
    (root / "province").mkdir(parents=True)
    shutil.copy(CATALOGUE / "departments.yaml", root / "departments.yaml")
    shutil.copy(CATALOGUE / "province" / "fujian.yaml", root / "province" / "fujian.yaml")
    return root


def case_text(spec: dict[str, Any]) -> str:
    """The text a case describes: the base (or `text`) with its replacements and appendix."""
    text = spec["text"] if "text" in spec else BASE
    for old, new in spec.get("replace", []):
        assert old in text, f"replacement target not in the text: {old!r}"
        text = text.replace(old, new, 1)
    return text + spec.get("append", "")


def case_bytes(spec: dict[str, Any]) -> bytes:
    return case_text(spec).encode(spec.get("encoding", "utf-8"))


def write_case(root: Path, case: dict[str, Any]) -> None:
    (root / CITY).write_bytes(case_bytes(case))
    for name, spec in (case.get("files") or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case_bytes(spec))


def _as_list(value: str | list[str] | None) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _param(case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
    return pytest.param(case, id=case["id"], marks=marks)


# ---- the table --------------------------------------------------------------------------------


def test_cases_are_well_formed() -> None:
    """Every case in structure.yml has a unique id, a doc line and an expectation."""
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert case.get("doc"), case["id"]
        assert "expect" in case, case["id"]
        for e in case["expect"]:
            assert {"code", "line", "column"} <= set(e), case["id"]


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: dict[str, Any], tmp_path: Path, qingdan: Runner) -> None:
    """Each case yields exactly its expected QD1xx/QD2xx findings at file:line:column, quietly."""
    root = make_catalogue(tmp_path)
    write_case(root, case)
    before = snapshot(root)

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == case.get("exit", 1)
    expected = sorted((e["code"], e.get("file", CITY), e["line"], e["column"]) for e in case["expect"])
    assert result.structural() == expected
    for e in case["expect"]:
        d = result.diagnostic(e["code"], e.get("file", CITY), e["line"], e["column"])
        for part in _as_list(e.get("message")):
            assert part in d["message"], d["message"]
        for part in _as_list(e.get("hint")):
            assert part in d["hint"], d["hint"]
        for part in _as_list(case.get("absent")):
            assert part not in d["message"], d["message"]
    only_structure = all(e["code"].startswith("QD1") for e in case["expect"]) and case["expect"]
    invalid = {f["file"] for f in result.report["invalid_files"]}
    assert (CITY in invalid) == case.get("invalid", bool(only_structure))
    assert result.report["summary"]["exit_code"] == result.status
    assert snapshot(root) == before


# ---- inputs that are not text -----------------------------------------------------------------


@pytest.mark.parametrize("raw, reason", [
    pytest.param(bytes(range(256)) * 8, "这是二进制文件，不是文本", id="with-nul-bytes"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + bytes([0xFF, 0xD8, 0x80, 0x90]) * 64, "不是 UTF-8", id="no-nul-bytes"),
])
def test_binary_garbage_is_qd100(raw: bytes, reason: str, tmp_path: Path, qingdan: Runner) -> None:
    """Binary garbage named .yaml is QD100 at 1:1 and the rest of the catalogue is still checked."""
    root = make_catalogue(tmp_path)
    (root / "garbage.yaml").write_bytes(raw)

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD100", "garbage.yaml", 1, 1)]
    assert reason in result.diagnostic("QD100", "garbage.yaml", 1, 1)["message"]
    assert [c["id"] for c in result.report["catalogues"]] == ["fujian"]


@pytest.mark.parametrize("folder, paths", [
    pytest.param("x.yaml", (".",), id="top-level"),
    pytest.param("cities/x.yaml", (".",), id="nested"),
    pytest.param("x.yaml", ("x.yaml",), id="named-on-the-command-line"),
])
def test_directory_named_like_yaml_is_qd100(folder: str, paths: tuple[str, ...], tmp_path: Path,
                                            qingdan: Runner) -> None:
    """A folder whose name ends in .yaml is QD100 (“这是一个文件夹”) at 1:1, not a crash."""
    root = make_catalogue(tmp_path)
    (root / folder).mkdir(parents=True)

    result = qingdan(root, *paths)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD100", folder, 1, 1)]
    assert "文件夹" in result.diagnostic("QD100", folder, 1, 1)["message"]


# ---- inputs that are too big ------------------------------------------------------------------


def _bomb(levels: int, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _mapping_bomb(levels: int, width: int = 10) -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: lol" for i in range(width)) + "}"]
    for n in range(1, levels):
        lines.append(f"m{n}: &m{n} {{" + ", ".join(f"k{i}: *m{n - 1}" for i in range(width)) + "}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text", [
    pytest.param(_bomb(9), id="billion-laughs"),
    pytest.param(_bomb(30), id="ten-to-the-thirty"),
    pytest.param(_mapping_bomb(12), id="mapping-bomb"),
    pytest.param(BASE + _bomb(9), id="bomb-inside-a-list"),
])
def test_alias_bomb_is_qd110(text: str, tmp_path: Path, qingdan: Runner) -> None:
    """An alias bomb is stopped with QD110 at 1:1, before it is expanded."""
    root = make_catalogue(tmp_path)
    (root / CITY).write_text(text, encoding="utf-8")

    result = qingdan(root)  # a hang would end in the runner's timeout; speed is measured in bench/

    result.assert_quiet()
    assert result.status == 1
    assert ("QD110", CITY, 1, 1) in result.structural()
    assert "锚点别名" in result.diagnostic("QD110", CITY, 1, 1)["message"]


def _block_sequences(depth: int) -> str:
    return "errata:\n" + "- " * depth + "x\n"  # "- - - x" nests block sequences on one line


def _flow_mappings(depth: int) -> str:
    return "errata: " + "{a: " * depth + "1" + "}" * depth + "\n"


@pytest.mark.parametrize("tail", [
    pytest.param("errata: " + "[" * 100 + "]" * 100 + "\n", id="flow-lists-100"),
    pytest.param("errata: " + "[" * 10_000 + "]" * 10_000 + "\n", id="flow-lists-10000"),
    pytest.param("errata: " + "[" * 20_000 + "]" * 20_000 + "\n", id="flow-lists-20000"),
    pytest.param(_flow_mappings(10_000), id="flow-mappings-10000"),
    pytest.param(_block_sequences(10_000), id="block-lists-10000"),
])
def test_deep_nesting_is_qd110(tail: str, tmp_path: Path, qingdan: Runner) -> None:
    """Nesting far deeper than any list is QD110 at 1:1, quickly and without a RecursionError."""
    root = make_catalogue(tmp_path)
    (root / CITY).write_text(BASE + tail, encoding="utf-8")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD110", CITY, 1, 1)]


@pytest.mark.parametrize("megabytes", [3, 20])
def test_oversized_file_is_qd110_before_reading(megabytes: int, tmp_path: Path, qingdan: Runner) -> None:
    """A file over the size limit (3 MB, 20 MB) is QD110 at 1:1, naming its size, without being parsed."""
    root = make_catalogue(tmp_path)
    (root / CITY).write_text(BASE + "# " + "x" * (megabytes * 1024 * 1024) + "\n", encoding="utf-8")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD110", CITY, 1, 1)]
    assert "KB" in result.diagnostic("QD110", CITY, 1, 1)["message"]


# ---- symlinks ---------------------------------------------------------------------------------


def test_symlink_loop_is_qd100(tmp_path: Path, qingdan: Runner) -> None:
    """A symlink that points at itself is QD100 for that file, exit 1, not an internal error."""
    root = make_catalogue(tmp_path)
    (root / "loop.yaml").symlink_to("loop.yaml")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD100", "loop.yaml", 1, 1)]


def test_dangling_symlink_is_reported_under_its_own_name(tmp_path: Path, qingdan: Runner) -> None:
    """A dangling symlink is QD100 under the link's own name, which the user can find."""
    root = make_catalogue(tmp_path)
    (root / "cities").mkdir()
    (root / "cities" / "old.yaml").symlink_to("gone.yaml")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD100", "cities/old.yaml", 1, 1)]


def test_two_symlinks_pointing_at_each_other_are_qd100(tmp_path: Path, qingdan: Runner) -> None:
    """Two links that point at each other are each QD100 (“符号链接形成循环”), exit 1."""
    root = make_catalogue(tmp_path)
    (root / "a.yaml").symlink_to("b.yaml")
    (root / "b.yaml").symlink_to("a.yaml")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [("QD100", "a.yaml", 1, 1), ("QD100", "b.yaml", 1, 1)]
    assert "循环" in result.diagnostic("QD100", "a.yaml", 1, 1)["message"]


@pytest.mark.parametrize("name, expected", [
    pytest.param("cities/up", [], id="plain-name"),
    pytest.param("cities/up.yaml", [("QD100", "cities/up.yaml", 1, 1)], id="yaml-name"),
])
def test_folder_symlink_loop_is_not_followed(name: str, expected: list, tmp_path: Path, qingdan: Runner) -> None:
    """A folder link back up the tree is not walked into (no endless walk); named .yaml it is QD100."""
    root = make_catalogue(tmp_path)
    (root / "cities").mkdir()
    (root / name).symlink_to("..")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == (1 if expected else 0)
    assert result.structural() == expected
    assert [c["id"] for c in result.report["catalogues"]] == ["fujian"]


def test_pipes_and_devices_are_qd100_not_a_hang(tmp_path: Path) -> None:
    """A FIFO or a link to /dev/zero named .yaml is QD100 at once, never read: the FIFO is not a
    regular file, the link leads outside the catalogue."""
    root = make_catalogue(tmp_path)
    os.mkfifo(root / "pipe.yaml")  # reading it would wait for a writer for ever
    (root / "zero.yaml").symlink_to("/dev/zero")  # reading it would never end
    before = snapshot(root)

    proc = subprocess_qingdan(root, "check", ".", "--as-of", AS_OF, "--format", "json",
                              timeout=20, memory=2 * 1024 ** 3)

    assert proc.stderr == ""
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    found = sorted((d["code"], d["file"], d["line"], d["column"]) for d in report["diagnostics"]
                   if d["code"].startswith(STRUCTURAL))
    assert found == [("QD100", "pipe.yaml", 1, 1), ("QD100", "zero.yaml", 1, 1)]
    messages = {d["file"]: d["message"] for d in report["diagnostics"] if d["code"] == "QD100"}
    assert "不是普通文件" in messages["pipe.yaml"] and "清单目录之外" in messages["zero.yaml"]
    assert snapshot(root) == before


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: os.mkfifo(p), id="pipe"),
    pytest.param(lambda p: p.symlink_to("gone.yaml"), id="dangling-link"),
])
def test_unreadable_path_named_without_yaml_suffix_is_qd100(make: Callable[[Path], None], tmp_path: Path) -> None:
    """A pipe or broken link named on the command line is QD100, even without .yaml (not silently skipped)."""
    root = make_catalogue(tmp_path)
    make(root / "list")

    proc = subprocess_qingdan(root, "check", "list", "--as-of", AS_OF, "--format", "json", timeout=20)

    assert proc.stderr == ""
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in report["diagnostics"]] == [("QD100", "list", 1, 1)]


# Root reads a chmod 000 file anyway (CAP_DAC_OVERRIDE); as root the run drops that capability
# with setpriv, so the permission check is real in CI too.
_NO_DAC = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")


def test_unreadable_file_is_qd100(tmp_path: Path) -> None:
    """A file without read permission (chmod 000) is QD100 (“没有读取权限”) at 1:1; the rest is checked."""
    root = make_catalogue(tmp_path)
    locked = root / "locked.yaml"
    locked.write_text(BASE, encoding="utf-8")
    before = snapshot(root)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv (util-linux): chmod 000 cannot stop root reading")
        prefix = _NO_DAC
    locked.chmod(0)
    try:
        proc = subprocess_qingdan(root, "check", ".", "--as-of", AS_OF, "--format", "json", prefix=prefix)
    finally:
        locked.chmod(0o644)
    if prefix and proc.stderr.startswith("setpriv:"):
        pytest.skip(f"running as root, and this system does not let setpriv drop capabilities: {proc.stderr.strip()}")

    assert proc.stderr == ""
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    found = [(d["code"], d["file"], d["line"], d["column"], d["message"]) for d in report["diagnostics"]
             if d["code"].startswith(STRUCTURAL)]
    assert found == [("QD100", "locked.yaml", 1, 1, "无法读取文件：没有读取权限")]
    assert [c["id"] for c in report["catalogues"]] == ["fujian"]
    assert snapshot(root) == before


# ---- the whole run ----------------------------------------------------------------------------


def test_report_everything_in_one_run(tmp_path: Path, qingdan: Runner) -> None:
    """A syntax error in one file does not hide other files' problems: all reported, exit 1."""
    root = make_catalogue(tmp_path)
    (root / "cities").mkdir()
    (root / "cities" / "broken.yaml").write_text(
        BASE.replace("title: 测试市流动儿童关爱服务清单（示例）", "title: 测试市: 清单"), encoding="utf-8")
    (root / "cities" / "typo.yaml").write_text(
        BASE.replace("id: testcity", "id: typocity").replace("title:", "titel:"), encoding="utf-8")
    (root / CITY).write_text(BASE.replace("[市卫健委, 市疾控局]", "[市卫健委, 市疾控委]"), encoding="utf-8")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == 1
    assert result.structural() == [
        ("QD101", "cities/broken.yaml", 4, 11),
        ("QD103", "cities/typo.yaml", 4, 1),
        ("QD205", CITY, 26, 29),
    ]
    report = result.report
    assert sorted(c["id"] for c in report["catalogues"]) == ["fujian", "testcity"]
    assert sorted((f["file"], f["id"]) for f in report["invalid_files"]) == [
        ("cities/broken.yaml", None), ("cities/typo.yaml", "typocity")]
    # the valid list went on through the floor checks
    assert any(d["code"] == "QD301" and d["file"] == CITY for d in report["diagnostics"])


def test_text_output_reports_everything_too(tmp_path: Path, qingdan: Runner) -> None:
    """The human-readable format prints each finding as file:line:column: 错误 code."""
    root = make_catalogue(tmp_path)
    (root / "broken.yaml").write_text("title: [福州市\n", encoding="utf-8")
    (root / CITY).write_text(BASE.replace("[市卫健委, 市疾控局]", "[省卫健委, 市疾控局]"), encoding="utf-8")

    result = qingdan(root, fmt="text")

    result.assert_quiet()
    assert result.status == 1
    assert re.search(r"^broken\.yaml:\d+:\d+: 错误 QD101 ", result.stdout, re.M)
    assert re.search(r"^testcity\.yaml:26:23: 错误 QD209 ", result.stdout, re.M)


def test_control_characters_never_reach_the_terminal(tmp_path: Path, qingdan: Runner) -> None:
    """A list id holding a NUL (written "\\0") is quoted escaped in the text output, never as a raw byte."""
    root = make_catalogue(tmp_path)
    (root / CITY).write_text(BASE.replace("id: testcity", 'id: "test\\0city"'), encoding="utf-8")

    result = qingdan(root, fmt="text")

    result.assert_quiet()
    assert result.status == 1
    assert "\x00" not in result.stdout
    assert re.search(r"^testcity\.yaml:1:5: 错误 QD104 .*“test\\u0000city”", result.stdout, re.M)
    assert re.search(r"^  \?\s+testcity\.yaml  无法读取或格式错误$", result.stdout, re.M)


@pytest.mark.parametrize("setup, status", [
    pytest.param("clean", 0, id="clean"),
    pytest.param("bom", 0, id="province-with-bom"),
    pytest.param("junk", 1, id="plus-a-broken-file"),
])
def test_exit_status_follows_errors(setup: str, status: int, tmp_path: Path, qingdan: Runner) -> None:
    """A clean catalogue exits 0 (also when its list has a BOM); one broken file makes it exit 1."""
    root = make_catalogue(tmp_path)
    fujian = root / "province" / "fujian.yaml"
    if setup == "bom":
        fujian.write_bytes(b"\xef\xbb\xbf" + fujian.read_bytes())
    if setup == "junk":
        (root / "junk.yaml").write_text("- 只是一个列表\n", encoding="utf-8")

    result = qingdan(root)

    result.assert_quiet()
    assert result.status == status
    assert [c["id"] for c in result.report["catalogues"]] == ["fujian"]
    assert result.structural() == ([("QD109", "junk.yaml", 1, 1)] if setup == "junk" else [])


def _zoo(root: Path) -> None:
    """Every bad input of this module in one catalogue, each in its own file."""
    (root / "cases").mkdir()
    for case in CASES:
        (root / "cases" / f"{case['id']}.yaml").write_bytes(case_bytes(case))
    (root / "garbage.yaml").write_bytes(bytes(range(256)) * 8)
    (root / "bomb.yaml").write_text(_bomb(9), encoding="utf-8")
    (root / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (root / "folder.yaml").mkdir()


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_bad_input_never_changes_source_files(fmt: str, tmp_path: Path, qingdan: Runner) -> None:
    """Checking a catalogue full of bad files leaves every file byte for byte as it was."""
    root = make_catalogue(tmp_path)
    _zoo(root)
    before = snapshot(root)

    result = qingdan(root, fmt=fmt)

    result.assert_quiet()
    assert result.status == 1
    assert snapshot(root) == before


def test_bad_input_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    """`python -m compiler check` over every bad input exits 1 with an empty stderr."""
    root = make_catalogue(tmp_path)
    _zoo(root)
    before = snapshot(root)

    proc = subprocess_qingdan(root, "check", ".", "--as-of", AS_OF, "--format", "json")

    assert "Traceback" not in proc.stderr
    assert proc.stderr == ""
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    reported = {d["file"] for d in report["diagnostics"] if d["code"].startswith(STRUCTURAL)}
    assert {"garbage.yaml", "bomb.yaml", "deep.yaml", "folder.yaml"} <= reported
    assert snapshot(root) == before


# ---- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("args, words", [
    pytest.param(["check", "no-such-folder"], "路径不存在", id="missing-path"),
    pytest.param(["check", "catalogue/no-such-file.yaml"], "路径不存在", id="missing-file"),
    pytest.param(["check", "catalogue", "--as-of", "2026-02-30"], "不是 YYYY-MM-DD 格式的有效日期", id="as-of-impossible"),
    pytest.param(["check", "catalogue", "--as-of", "下个月"], "不是 YYYY-MM-DD 格式的有效日期", id="as-of-words"),
    pytest.param(["check", "catalogue", "--as-of", "2026/11/29"], "不是 YYYY-MM-DD 格式的有效日期", id="as-of-slashes"),
    pytest.param(["check", "elsewhere"], "找不到 departments.yaml", id="not-a-catalogue"),
])
def test_usage_errors_exit_2_in_chinese(args: list[str], words: str, tmp_path: Path) -> None:
    """A usage error exits 2, prints nothing on stdout and a Chinese 'qingdan:' line on stderr."""
    make_catalogue(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    before = snapshot(tmp_path)

    proc = subprocess_qingdan(tmp_path, *args)

    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    message = [line for line in proc.stderr.splitlines() if line.startswith("qingdan: ")]
    assert len(message) == 1, proc.stderr
    assert words in message[0]
    assert CJK.search(message[0])
    assert snapshot(tmp_path) == before
