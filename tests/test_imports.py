"""Small commands import only what they use: the renderers, the models and the parser are loaded
when a command needs them, not before (what each one costs is in the README's ## 性能)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, ROOT

RENDERERS = ("weasyprint", "mkdocs", "jieba")
LOADING = ("pydantic", "ruamel", "compiler.checks", "compiler.models.catalogue")

# Runs qingdan's entry point in a fresh interpreter, then prints which of the modules asked about it imported.
_PROBE = """
import json, sys
from compiler.cli.main import main
try:
    code = main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": [m for m in json.loads(sys.argv[1]) if m in sys.modules]}), file=sys.stderr)
"""


def _loaded(*args: str, watch: tuple[str, ...] = RENDERERS + LOADING, cwd: Path = ROOT) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(watch), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], report["loaded"]


@pytest.mark.parametrize("args", [("--help",), ("codes",), ("codes", "--markdown"),
                                  ("deadlines", "--issued", "2025-01-09", "--filed", "2025-01-20"),
                                  ("deadlines", "--issued", "2025-01-09", "--format", "json")])
def test_small_commands_import_neither_renderers_nor_models(args):
    """--help, codes and deadlines do not import WeasyPrint, mkdocs, jieba, pydantic, ruamel or the checks."""
    code, loaded = _loaded(*args)
    assert code == 0
    assert loaded == []


def test_a_cached_check_imports_nothing_heavy(catalogue_copy):
    """The second identical check is answered from the cache without the parser, the models or the checks."""
    args = ("check", str(catalogue_copy), "--as-of", AS_OF.isoformat())
    first, loaded_first = _loaded(*args)
    assert "ruamel" in loaded_first  # the first run did load the lists
    again, loaded = _loaded(*args)
    assert again == first
    assert loaded == []


def test_an_unchanged_build_is_decided_before_checking_or_rendering(tmp_path):
    """A build with nothing changed imports neither the renderers nor the checks, and says it is up to date."""
    out = tmp_path / "public"
    args = ("build", str(CATALOGUE), "--out", str(out), "--no-pdf", "--as-of", AS_OF.isoformat())
    first, loaded = _loaded(*args)
    assert "mkdocs" in loaded
    again, loaded = _loaded(*args)
    assert again == first
    assert loaded == []


def test_an_unchanged_build_still_names_what_it_left_out(catalogue_copy, tmp_path):
    """An up-to-date build names the unreadable files the build it repeats left out, with the same exit code."""
    (catalogue_copy / "cities" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    out = tmp_path / "public"
    args = [sys.executable, "-m", "compiler", "build", str(catalogue_copy), "--out", str(out), "--no-pdf",
            "--as-of", AS_OF.isoformat()]
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    again = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == again.returncode == 1
    assert "broken.yaml" in first.stderr and "broken.yaml" in again.stderr
    assert "已是最新" in again.stdout
