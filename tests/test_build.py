"""`qingdan build` as a command: exit statuses, atomic and reproducible output, the cache, bad input."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import AS_OF, BASE_URL, CATALOGUE, ROOT, qingdan_cli


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(catalogue: Path, out: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return qingdan_cli("build", str(catalogue), "--out", str(out), "--as-of", AS_OF.isoformat(), *extra, env=env)


def test_two_builds_of_the_same_input_are_byte_identical(built_site, tmp_path):
    """A second build from scratch, without the cache, gives the same tree as the first, PDFs included."""
    out = tmp_path / "public"
    done = build(CATALOGUE, out, "--base-url", BASE_URL, "--no-cache")
    assert done.returncode == 0, done.stderr
    assert tree_digest(out) == tree_digest(built_site)
    assert any(name.endswith(".pdf") for name in tree_digest(out))


def test_everything_published_is_readable_by_a_web_server(built_site):
    """Every file of the output is world-readable (a web server usually runs as another user)."""
    private = [str(p.relative_to(built_site)) for p in built_site.rglob("*") if p.is_file() and not p.stat().st_mode & 0o004]
    assert not private, private


def test_a_rebuild_with_nothing_changed_does_no_work(built_site):
    """Building again into the same folder with the same input says so and leaves every byte as it was."""
    before = tree_digest(built_site)
    done = build(CATALOGUE, built_site, "--base-url", BASE_URL)
    assert done.returncode == 0 and "已是最新" in done.stdout
    assert tree_digest(built_site) == before


def test_one_city_changed_rerenders_only_its_pdfs(catalogue_copy, tmp_path, warm_cache):
    """With the cache, changing one city re-renders that city's edition and poster only; the rest are reused."""
    env = {**os.environ, "QINGDAN_CACHE": str(warm_cache)}
    out = tmp_path / "public"

    def build_copy() -> subprocess.CompletedProcess:  # named as the shared build names its lists: its cache applies
        return qingdan_cli("build", "catalogue", "--out", str(out), "--as-of", AS_OF.isoformat(), "--base-url", BASE_URL,
                           cwd=catalogue_copy.parent, env=env)

    first = build_copy()
    assert first.returncode == 0 and "本次生成 0 个" in first.stdout, first.stdout
    before = tree_digest(out)
    # putian has no review record: a change to a signed-off list would also change the report (QD805)
    path = catalogue_copy / "cities/putian.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("service: 学前教育服务", "service: 学前教育服务（修订）", 1),
                    encoding="utf-8")
    done = build_copy()
    assert done.returncode == 0, done.stderr
    assert "本次生成 4 个" in done.stdout, done.stdout  # its edition, Word edition and A4 and A3 posters
    after = tree_digest(out)
    changed = {name for name in after if name.startswith("pdf/") and after[name] != before.get(name)}
    assert changed == {"pdf/putian-1.pdf", "pdf/putian-1-poster.pdf", "pdf/putian-1-poster-a3.pdf"}


def _build_until_its_pdfs(catalogue: Path, out: Path, tmp_path: Path) -> subprocess.Popen:
    """A build in a subprocess, returned once it has started rendering PDFs in its staging folder."""
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "build", str(catalogue), "--out", str(out),
                             "--as-of", AS_OF.isoformat(), "--no-cache"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any((p / "docs/pdf").is_dir() for p in tmp_path.glob(".public.build-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "the build reaches its PDFs"
        time.sleep(0.05)
    return proc


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_build_killed_half_way_leaves_the_previous_output(catalogue_copy, tmp_path, sig):
    """Killing a build while it renders leaves the previous output exactly as it was."""
    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf").returncode == 0
    before = tree_digest(out)
    proc = _build_until_its_pdfs(catalogue_copy, out, tmp_path)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert tree_digest(out) == before
    if sig == signal.SIGTERM:  # a catchable signal also cleans up the staging folder
        assert not list(tmp_path.glob(".public.build-*")) and "Traceback" not in err


def test_an_unreadable_list_is_left_out_and_named(catalogue_copy, tmp_path):
    """A broken YAML file is named on stderr, exit 1, and every other list is still published."""
    (catalogue_copy / "cities/broken.yaml").write_text("id: broken\ngroups: [\n", encoding="utf-8")
    out = tmp_path / "public"
    done = build(catalogue_copy, out, "--no-pdf")
    assert done.returncode == 1
    assert "broken.yaml" in done.stderr and "Traceback" not in done.stderr
    assert (out / "lists/fuzhou/index.html").is_file() and not (out / "lists/broken").exists()


def test_a_folder_not_made_by_build_is_never_replaced(tmp_path):
    """An existing, non-empty output folder without the build marker is refused and left alone."""
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    done = build(CATALOGUE, out, "--no-pdf")
    assert done.returncode == 2 and "不是 qingdan build 生成的" in done.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("args", [["--out", "catalogue/site"], ["--base-url", "javascript:alert(1)"],
                                  ["--base-url", "example.org"]])
def test_bad_build_options_are_refused(args, tmp_path):
    """An output inside the catalogue or a base URL that is not http(s) is a usage error, exit 2."""
    done = qingdan_cli("build", "--no-pdf", "--out", str(tmp_path / "o"), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not (ROOT / "catalogue/site").exists()


def test_without_a_chinese_font_the_build_stops_before_writing(tmp_path):
    """With no CJK font installed the build fails with the install command, and writes nothing."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig><dir>' + str(tmp_path / "none") + "</dir></fontconfig>",
                    encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = tmp_path / "public"
    done = build(CATALOGUE, out, env=env)
    assert done.returncode == 2 and "fonts-noto-cjk" in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".public.build-*"))


def test_the_summary_names_what_was_written(tmp_path):
    """The build says where the site, the data and the PDFs went, and how many lists fall short."""
    out = tmp_path / "public"
    done = build(CATALOGUE, out, "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert f"已发布 12 份清单到 {out}/" in done.stdout and "不符合 4 份" in done.stdout
    shutil.rmtree(out)


def test_relative_paths_work_from_any_folder(tmp_path):
    """`qingdan build CATALOGUE --out public` with relative paths, run from the folder that holds them."""
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    done = qingdan_cli("build", "catalogue", "--out", "public", "--no-pdf", "--as-of", AS_OF.isoformat(), cwd=tmp_path,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "public/lists/fuzhou/index.html").is_file()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


HOSTILE_FILES = {
    "syntax": lambda p: p.write_text("id: x\ngroups: [\n", encoding="utf-8"),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 64),
    "gbk": lambda p: p.write_bytes("id: 测试\ntitle: 清单\n".encode("gbk")),
    "alias-bomb": lambda p: p.write_text("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}]\n"
        for k in range(12)), encoding="utf-8"),
    "deep": lambda p: p.write_text("x: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8"),
    "folder": lambda p: p.mkdir(),
    "symlink-loop": _loop,
    "fifo": _fifo,
}


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_a_hostile_file_never_breaks_the_build_or_the_catalogue(kind, catalogue_copy, tmp_path):
    """Garbage, bombs, loops and pipes in the catalogue: named, left out, the rest published whole, no source changed."""
    from conftest import snapshot

    out = tmp_path / "public"
    assert build(catalogue_copy, out, "--no-pdf").returncode == 0
    HOSTILE_FILES[kind](catalogue_copy / "cities/hostile.yaml")
    before = snapshot(catalogue_copy)
    done = build(catalogue_copy, out, "--no-pdf")  # a hang ends in build()'s timeout
    assert done.returncode == 1 and "hostile.yaml" in done.stderr and "Traceback" not in done.stderr
    assert (out / ".qingdan-build").is_file() and (out / "lists/fuzhou/index.html").is_file()
    assert snapshot(catalogue_copy) == before


def test_sigterm_after_sigterm_during_clean_up_leaves_no_staging_folder(catalogue_copy, tmp_path):
    """A service manager that sends SIGTERM again and again: the first stops the build, the rest
    cannot interrupt its clean-up; no staging folder, no traceback."""
    out = tmp_path / "public"
    proc = _build_until_its_pdfs(catalogue_copy, out, tmp_path)
    time.sleep(0.3)
    while proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.002)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert not list(tmp_path.glob(".public.*"))


def test_a_staging_folder_left_by_a_killed_build_is_removed_by_the_next(catalogue_copy, tmp_path):
    """SIGKILL leaves no chance to clean up: the next build removes what a dead build left."""
    out = tmp_path / "public"
    dead = 2 ** 22 + 12345  # above the default pid_max: no such process
    for name in (f".public.build-{dead}-abcd1234", f".public.old-{dead}"):
        (tmp_path / name / "docs").mkdir(parents=True)
        (tmp_path / name / "docs" / "big.bin").write_bytes(b"x" * 1000)
    alive = tmp_path / f".public.build-{os.getpid()}-live"  # a build still running is left alone
    alive.mkdir()
    assert build(catalogue_copy, out, "--no-pdf").returncode == 0
    assert sorted(p.name for p in tmp_path.glob(".public.*")) == [alive.name]


def test_an_output_folder_reached_through_a_symlink_is_replaced_behind_the_link(catalogue_copy, tmp_path):
    """`--out public` where public -> releases/site: the site is rebuilt at the link's target, the
    link is kept, and no `.old-PID` (folder or link) is left anywhere."""
    real = tmp_path / "releases" / "site"
    real.parent.mkdir()
    link = tmp_path / "public"
    link.symlink_to(real)
    for _ in range(2):  # the first build makes the folder, the second swaps it
        (catalogue_copy / "cities/xiamen.yaml").write_text(
            (catalogue_copy / "cities/xiamen.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
        done = build(catalogue_copy, link, "--no-pdf")
        assert done.returncode == 0, done.stderr
        assert link.is_symlink() and (real / "lists/fuzhou/index.html").is_file()
    leftovers = [p for p in (*tmp_path.iterdir(), *real.parent.iterdir()) if ".old-" in p.name or ".build-" in p.name]
    assert leftovers == []
