"""`qingdan serve`: the preview answers, and rebuilds itself when a list is saved."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _private_package(tmp_path: Path) -> Path:
    """A folder holding a copy of the compiler package, its site and templates included, for a test
    that edits them: the repository's own files are read by the tests running beside it."""
    shutil.copytree(ROOT / "compiler", tmp_path / "pkg" / "compiler", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "pkg"


def test_the_preview_rebuilds_when_a_list_is_saved(catalogue_copy, tmp_path):
    """Editing a service name in a city's YAML shows up on the served page without restarting."""
    port = _free_port()
    package = _private_package(tmp_path)  # `-m compiler` from this folder runs the copy
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "serve", str(catalogue_copy), "--port", str(port),
                             "--as-of", "2026-11-29"], cwd=package, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/lists/fuzhou/"
    try:
        assert _wait_for(lambda: "学前教育服务" in _get(url)), "the first build is served"
        path = catalogue_copy / "cities/fuzhou.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("service: 学前教育服务", "service: 学前教育服务（已修改）", 1),
                        encoding="utf-8")
        assert _wait_for(lambda: "学前教育服务（已修改）" in _get(url)), "the change is rebuilt and served"
        css = package / "compiler/site/docs/assets/qingdan.css"  # a change to the site itself is rebuilt too
        css.write_text(css.read_text(encoding="utf-8") + "\n/* preview-marker */\n", encoding="utf-8")
        assert _wait_for(lambda: "preview-marker" in _get(f"http://127.0.0.1:{port}/assets/qingdan.css"))
        path.write_text("id: [broken", encoding="utf-8")
        assert _wait_for(lambda: "fuzhou" not in _get(f"http://127.0.0.1:{port}/data/index.json"))
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "预览地址" in err and "未发布" in err and "Traceback" not in err


def test_a_port_in_use_is_a_clear_error(catalogue_copy):
    """When the port is taken, serve says so in Chinese and exits 2, without a traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "compiler", "serve", str(catalogue_copy), "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "请换一个 --port" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_catalogue_is_a_clear_error(tmp_path):
    """Serving a folder that does not exist is a usage error, exit 2."""
    done = subprocess.run([sys.executable, "-m", "compiler", "serve", str(tmp_path / "nope"), "--port", str(_free_port())],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "清单目录不存在" in done.stderr and "Traceback" not in done.stderr


def test_hostile_requests_get_an_answer_not_a_traceback(catalogue_copy):
    """A NUL, a control character or a climb out of the site: 400 or 404, never a file outside, never a traceback."""
    import urllib.error

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "serve", str(catalogue_copy), "--port", str(port),
                             "--as-of", "2026-11-29"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: "fuzhou" in _get(f"{base}/data/index.json")), "the first build is served"
        for path in ("/%00", "/lists/%00/", "/index.html%00.png", "/%1b[2J", "/..%2f..%2f..%2fetc/passwd",
                     "/%2e%2e/%2e%2e/%2e%2e/etc/passwd"):
            try:
                with urllib.request.urlopen(base + path, timeout=5) as response:
                    body, status = response.read(), response.status
            except urllib.error.HTTPError as exc:
                body, status = exc.read(), exc.code
            assert status in (400, 404) and b"root:x:0" not in body, (path, status)
        assert "fuzhou" in _get(f"{base}/data/index.json")  # still serving
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "Error" not in err, err
