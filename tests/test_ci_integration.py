"""What a bureau's repository uses: the pre-commit hook, and the README's examples of it and of a CI workflow."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CATALOGUE, ROOT
from pre_commit.clientlib import load_manifest
from ruamel.yaml import YAML

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def hook() -> dict:
    """The one hook, as pre-commit itself loads and validates it (defaults filled in)."""
    hooks = load_manifest(str(MANIFEST))
    assert [h["id"] for h in hooks] == ["qingdan-check"]
    return hooks[0]


def test_manifest_is_yaml_with_the_required_keys():
    """The file is plain YAML: a list of hooks, each with id, name, entry and language."""
    data = YAML(typ="safe").load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data
    for h in data:
        assert {"id", "name", "entry", "language"} <= set(h)


def test_hook_checks_the_whole_catalogue_when_a_list_changes(hook):
    """A python hook running `qingdan check` once for any YAML change under catalogue/ (not per file)."""
    assert hook["language"] == "python"
    assert shlex.split(hook["entry"])[:2] == ["qingdan", "check"]
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("catalogue/cities/fuzhou.yaml", "catalogue/departments.yaml",
                                         "catalogue/province/fujian.yml"))
    assert not any(files.search(p) for p in ("README.md", "tests/cases/floor.yml", "catalogue/sources/plan.txt"))


def _run_entry(hook: dict, cwd: Path) -> subprocess.CompletedProcess:
    """Run the hook's command as pre-commit would: entry, then args, from the repository root."""
    command = shlex.split(hook["entry"]) + hook["args"]
    assert command[0] == "qingdan"
    script = Path(sys.executable).parent / "qingdan"  # what `language: python` installs
    return subprocess.run([str(script), *command[1:]], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_entry_blocks_a_commit_with_errors(hook):
    """On the bundled samples (written to show errors) the entry exits 1 and shows errors, not infos."""
    proc = _run_entry(hook, ROOT)
    assert proc.returncode == 1, proc.stderr
    assert "错误 QD301" in proc.stdout and "提示 QD310" not in proc.stdout


def test_entry_passes_a_clean_catalogue(hook, tmp_path):
    """On a catalogue without error findings (the provincial list alone, which has no deadlines) it exits 0."""
    shutil.copytree(CATALOGUE, tmp_path / "catalogue", ignore=shutil.ignore_patterns("cities", "counties"))
    proc = _run_entry(hook, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _readme_yaml(after: str) -> object:
    """The first ```yaml block in the README after the heading `after`, parsed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split(after, 1)[1]
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    return YAML(typ="safe").load(block)


def test_readme_precommit_example_names_the_hook(hook):
    """The README's .pre-commit-config.yaml example uses the hook id the manifest defines."""
    config = _readme_yaml("### 提交前核查（pre-commit）")
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [hook["id"]]


def test_readme_workflow_checks_and_uploads_sarif():
    """The README's CI workflow runs `qingdan check --format sarif` into a file and uploads that file even when
    the check found errors, with the permission the upload needs."""
    workflow = _readme_yaml("### 在 CI 中核查并上传 SARIF")
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    check = next(s for s in steps if "qingdan check" in s.get("run", ""))
    command = shlex.split(check["run"])
    assert command[command.index("--format") + 1] == "sarif" and command[-2] == ">"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == command[-1]
    assert "cancelled()" in upload["if"] and steps.index(upload) > steps.index(check)
