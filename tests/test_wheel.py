"""qingdan installed from a wheel, outside the repository, builds the site and checks a catalogue."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CATALOGUE, ROOT, shared_folder


def _build_wheel(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the working tree (no network: the build backend is already installed), once:
    two builds at a time in the working tree would share its build/ folder."""
    [found] = shared_folder(tmp_path_factory, "dist", _build_wheel).glob("qingdan-*.whl")
    return found


def test_the_wheel_carries_templates_site_and_every_sub_package(wheel: Path):
    """Templates, the site and every sub-package of compiler/ are in the wheel (automatic discovery)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "compiler/templates/site/list.md.j2" in names and "compiler/site/mkdocs.yml" in names
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "compiler").rglob("__init__.py")}
    assert all(f"{pkg}/__init__.py" in names for pkg in packages)


def test_an_installed_wheel_checks_and_builds_outside_the_repository(wheel: Path, tmp_path: Path):
    """A fresh virtual environment with only the wheel installed runs `check` and `build --no-pdf`."""
    venv = tmp_path / "venv"
    # The project's environment already holds every dependency: reuse it instead of the network.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()) / "deps.pth").write_text(site + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
                   check=True, timeout=300, capture_output=True)
    work = tmp_path / "elsewhere"
    shutil.copytree(CATALOGUE, work / "catalogue")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)} | {"QINGDAN_CACHE": str(tmp_path / "cache")}
    where = subprocess.run([str(python), "-c", "import compiler; print(compiler.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in where  # the installed copy, not the repository's
    qingdan = venv / "bin" / "qingdan"
    check = subprocess.run([str(qingdan), "check", "catalogue", "--min-severity", "error"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 1 and "QD301" in check.stdout and not check.stderr
    build = subprocess.run([str(qingdan), "build", "catalogue", "--no-pdf", "--out", "public"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    assert (work / "public" / "index.html").is_file() and (work / "public" / "lists" / "fuzhou" / "index.html").is_file()
