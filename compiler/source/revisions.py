"""One side of a comparison: a YAML file on disk, or `PATH@REVISION`, the file as git holds it.

Git is asked in the repository that contains PATH (from the nearest folder that exists), so
the command works from any working directory. The content is read raw (`git cat-file blob`,
the plumbing form of `git show REV:PATH`), without text conversion filters, so what is
compared is exactly what was committed. A bad revision or path is a tool failure (exit 2)
whose message names it, never a traceback.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from compiler.errors import InputError, UsageError
from compiler.source.loader import display_name

GIT_TIMEOUT = 30  # seconds; reading one blob takes milliseconds


@dataclass(frozen=True)
class Side:
    """What the user named: a path, and the git revision to read it at (None: the file on disk)."""

    path: Path
    revision: str | None = None

    @property
    def name(self) -> str:
        """How messages name this side, e.g. `catalogue/cities/fuzhou.yaml@HEAD~1`."""
        shown = display_name(self.path)
        return f"{shown}@{self.revision}" if self.revision is not None else shown


def parse_side(text: str) -> Side:
    """`PATH` or `PATH@REVISION`; a file whose own name contains @ is taken as a file."""
    if Path(text).exists() or "@" not in text:
        if not Path(text).exists():
            raise UsageError(f"文件不存在：{text}", en=f"no such file: {text}")
        if Path(text).is_dir():
            raise UsageError(f"{text} 是文件夹，请给出一个清单文件", en=f"{text} is a folder; give one list file")
        return Side(Path(text))
    path, revision = text.rsplit("@", 1)
    if not path or not revision:
        raise UsageError(f"“{text}”应写成 文件 或 文件@版本（如 catalogue/cities/fuzhou.yaml@HEAD~1）",
                         en=f"'{text}' should be FILE or FILE@REVISION (e.g. catalogue/cities/fuzhou.yaml@HEAD~1)")
    if revision.startswith("-"):  # git would read it as an option
        raise UsageError(f"版本“{revision}”不能以 - 开头（{text}）", en=f"the revision '{revision}' cannot start with - ({text})")
    if Path(path).is_dir():
        raise UsageError(f"{path} 是文件夹，请给出一个清单文件", en=f"{path} is a folder; give one list file")
    return Side(Path(path), revision)


def read_at_revision(side: Side) -> bytes:
    """The file's committed content at `side.revision`; InputError naming what is wrong."""
    assert side.revision is not None
    folder = _existing_folder(side.path)
    relative = side.path.absolute().relative_to(folder).as_posix()
    rev = side.revision
    if _git(folder, "rev-parse", "--show-toplevel").returncode != 0:
        raise InputError(f"{display_name(folder)} 不在 git 仓库中，无法读取 {side.name}",
                         en=f"{display_name(folder)} is not in a git repository, so {side.name} cannot be read")
    if _git(folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise InputError(f"git 仓库中没有版本“{rev}”（{side.name}）", en=f"the git repository has no revision '{rev}' ({side.name})")
    spec = f"{rev}:./{relative}"
    kind = _git(folder, "cat-file", "-t", spec)
    if kind.returncode != 0:
        raise InputError(f"版本“{rev}”中没有文件 {display_name(side.path)}（{side.name}）",
                         en=f"revision '{rev}' has no file {display_name(side.path)} ({side.name})")
    if kind.stdout.strip() != b"blob":
        raise InputError(f"版本“{rev}”中的 {display_name(side.path)} 不是文件（{side.name}）",
                         en=f"{display_name(side.path)} in revision '{rev}' is not a file ({side.name})")
    blob = _git(folder, "cat-file", "blob", spec)
    if blob.returncode != 0:  # pragma: no cover - the checks above leave nothing that fails here
        why = blob.stderr.decode(errors="replace").strip()
        raise InputError(f"无法从 git 读取 {side.name}：{why}", en=f"cannot read {side.name} from git: {why}")
    return blob.stdout


def _existing_folder(path: Path) -> Path:
    """The nearest folder of `path` that exists now (the file itself may exist only in history)."""
    for folder in path.absolute().parents:
        if folder.is_dir():
            return folder
    return Path("/")  # pragma: no cover - the root always exists


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise InputError("找不到 git 命令：读取“文件@版本”需要安装 git",
                         en="the git command was not found: reading FILE@REVISION needs git installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git 在 {GIT_TIMEOUT} 秒内没有响应（{display_name(folder)}）",
                         en=f"git did not answer within {GIT_TIMEOUT} seconds ({display_name(folder)})") from None
