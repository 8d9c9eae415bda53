"""Finding and naming a catalogue's files: the fast paths must say exactly what the plain ones said.

`yaml_files`, `namer` and `boundary.outside(link=...)` were rewritten with strings and one
directory scan for speed on national catalogues; each is compared here with the obvious
Path-based version it replaced, on trees and names chosen to hit their edge cases.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import versions
from compiler.output import check_cache
from compiler.source import boundary
from compiler.source.inputs import YAML_SUFFIXES, display_name, namer, yaml_files


def _reference_yaml_files(folder: Path) -> list[Path]:
    """The Path-based listing: every entry below `folder` ending in .yaml/.yml, hidden parts skipped."""
    found = []
    for p in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if p.suffix in YAML_SUFFIXES:
            found.append(p)
    return found


def _reference_name(path: Path, root: Path | None = None) -> str:
    absolute = os.path.abspath(path)
    base = os.path.abspath(root or os.getcwd())
    if absolute == base:
        return "."
    prefix = base.rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        return boundary.printable_name(absolute[len(prefix):].replace(os.sep, "/"))
    return boundary.printable_name(Path(path).as_posix())


def _tree(root: Path) -> None:
    """Names that sort differently as strings and as paths, hidden entries, links of every kind."""
    for name in ("a/x.yaml", "a-b/x.yaml", "a.yaml", "a/b/c/deep.yml", "a/b/readme.txt", "Z.yaml",
                 "中文/泉州市.yaml", "中文/泉州市-2.yaml", "sp ace/one two.yaml", "a.b.yaml", "a/.hidden.yaml",
                 ".git/config.yaml", "a/.cache/x.yaml", "n/a.YAML", "n/noext", "n/x.yaml.bak"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("id: x\n", encoding="utf-8")
    (root / "folder.yaml").mkdir()  # reported, so that the loader can say it is not a file
    (root / "folder.yaml" / "inner.yaml").write_text("id: y\n", encoding="utf-8")
    (root / "broken.yaml").symlink_to(root / "missing.yaml")
    (root / "link.yaml").symlink_to(root / "a.yaml")
    (root / "linked-folder").symlink_to(root / "a", target_is_directory=True)  # not entered
    (root / "loop.yaml").symlink_to(root / "loop.yaml")


def test_yaml_files_lists_what_the_path_walk_listed(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = yaml_files(tmp_path)
    assert found == _reference_yaml_files(tmp_path)
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names.index("a/x.yaml") < names.index("a-b/x.yaml")  # component order, not string order
    assert "folder.yaml" in names and "folder.yaml/inner.yaml" in names
    assert "broken.yaml" in names and "loop.yaml" in names
    assert not any(n.startswith("linked-folder/") for n in names)
    assert not any("/." in f"/{n}" for n in names)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "a-b", "a.b", "b", ".h", "x.yaml", "y.yml", "中", "z z"]),
                         min_size=1, max_size=4), max_size=12))
def test_yaml_files_agrees_on_random_trees(tmp_path_factory: pytest.TempPathFactory, shapes: list[list[str]]) -> None:
    root = tmp_path_factory.mktemp("tree")
    for parts in shapes:
        target = root.joinpath(*parts)
        try:
            if parts[-1].endswith(YAML_SUFFIXES) and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("id: x\n", encoding="utf-8")
            else:
                target.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            continue  # a file already stands where this shape wants a folder
    assert yaml_files(root) == _reference_yaml_files(root)


def test_an_unreadable_folder_hides_only_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a/one.yaml", "locked/two.yaml", "z/three.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str) -> object:  # the permission refusal a non-root user meets
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert [p.relative_to(tmp_path).as_posix() for p in yaml_files(tmp_path)] == ["a/one.yaml", "z/three.yaml"]


NAMES = ["x.yaml", "./x.yaml", "a//b.yaml", "a/./b.yaml", "a/../b.yaml", "a/", "a/.", ".", "./", "..",
         "../x.yaml", "/", "//", "/etc/passwd", "/etc//passwd", "", "中文/泉州市.yaml", "a\x1b[31m.yaml",
         "sub/dir/", "sub\\x.yaml", " x .yaml"]


@pytest.mark.parametrize("text", NAMES)
def test_namer_names_files_as_display_name_did(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    for root in (None, tmp_path, tmp_path / "sub", Path("/")):
        assert namer(root)(Path(text)) == _reference_name(Path(text), root), (text, root)
        assert display_name(Path(text), root) == _reference_name(Path(text), root)
    absolute = tmp_path / "sub" / text
    assert namer()(absolute) == _reference_name(absolute)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "..", ".", "", "b.yaml", "中", "x y"]), max_size=5), st.booleans())
def test_namer_agrees_on_random_paths(parts: list[str], absolute: bool) -> None:
    text = ("/" if absolute else "") + "/".join(parts)
    path = Path(text) if text else Path()
    assert namer()(path) == _reference_name(path)


def test_library_versions_match_installed_metadata() -> None:
    expected = []
    for name in versions.LIBRARIES:
        try:
            expected.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            expected.append(f"{name}=none")
    assert versions.versions() == tuple(expected)
    assert versions.versions() == check_cache._versions()


def test_outside_given_the_link_answer_agrees(tmp_path: Path) -> None:
    catalogue, elsewhere = tmp_path / "catalogue", tmp_path / "elsewhere"
    (catalogue / "cities").mkdir(parents=True)
    elsewhere.mkdir()
    (catalogue / "departments.yaml").write_text("departments: []\n", encoding="utf-8")
    (catalogue / "cities" / "plain.yaml").write_text("id: x\n", encoding="utf-8")
    (elsewhere / "secret.yaml").write_text("id: s\n", encoding="utf-8")
    (catalogue / "cities" / "in.yaml").symlink_to(catalogue / "cities" / "plain.yaml")
    (catalogue / "cities" / "out.yaml").symlink_to(elsewhere / "secret.yaml")
    (catalogue / "cities" / "dotdot.yaml").symlink_to("../../elsewhere/secret.yaml")
    (catalogue / "cities" / "broken.yaml").symlink_to(catalogue / "nothing.yaml")
    (catalogue / "linked").symlink_to(elsewhere, target_is_directory=True)
    cases = {"cities/plain.yaml": False, "cities/in.yaml": False, "cities/out.yaml": True,
             "cities/dotdot.yaml": True, "cities/broken.yaml": False, "linked/secret.yaml": True}
    for name, expected in cases.items():
        path = catalogue / name
        assert boundary.outside(path) is expected, name
        assert boundary.outside(path, link=path.is_symlink()) is expected, name
    assert boundary.outside(elsewhere / "secret.yaml") is False  # named outside every catalogue: the user's own file


@pytest.mark.parametrize("text", [*NAMES, "reviews/x.yaml", "./reviews/x.yaml", "reviews//x.yaml", "reviews/./x.yaml",
                                  "reviews/../x.yaml", "reviews", "reviews/", "catalogue/reviews/a@1.yaml"])
def test_in_review_folder_answers_as_the_path_test_did(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.review import records

    (tmp_path / "catalogue" / "reviews").mkdir(parents=True)
    for cwd, root in ((tmp_path, Path("catalogue")), (tmp_path / "catalogue", Path(".")),
                      (tmp_path / "catalogue" / "reviews", Path(".."))):
        monkeypatch.chdir(cwd)
        folder = str(Path(root).absolute() / records.FOLDER) + os.sep
        for path in (Path(text), cwd / text):
            assert records.in_review_folder(root)(path) == str(Path(path).absolute()).startswith(folder), (cwd, path)


def test_catalogue_jobs_leave_out_the_registry_however_it_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.source.inputs import catalogue_jobs

    monkeypatch.chdir(tmp_path)
    files = [Path("c/departments.yaml"), Path("c/./departments.yaml"), tmp_path / "c" / "departments.yaml",
             Path("c/a.yaml"), Path("c/sub/departments.yaml")]
    assert catalogue_jobs(files, Path("c")) == [(Path("c/a.yaml"), "c/a.yaml"),
                                               (Path("c/sub/departments.yaml"), "c/sub/departments.yaml")]
