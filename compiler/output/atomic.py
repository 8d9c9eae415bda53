"""Writing an output file whole or not at all: a temporary file beside it, then a rename.

A reader (a calendar app, a web server, an editor) never sees half a file, and a failed write
leaves the previous file as it was. `write_new` also never replaces a file that exists.
"""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from pathlib import Path

from compiler.errors import OutputError, UsageError
from compiler.source.inputs import display_name

_REASONS = {  # (Chinese, English)
    errno.ENOENT: ("所在的文件夹不存在", "its folder does not exist"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.EEXIST: ("路径中有一段不是文件夹", "a part of the path is not a folder"),  # mkdir: a file is in the way
    errno.EACCES: ("没有写入权限", "no permission to write"),
    errno.EPERM: ("没有写入权限", "no permission to write"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.EROFS: ("文件系统只读", "the file system is read-only"),
    errno.ENOSPC: ("磁盘空间不足", "the disk is full"),
    errno.ENAMETOOLONG: ("文件名或路径太长", "the file name or path is too long"),
    errno.EDQUOT: ("磁盘配额已用完", "the disk quota is used up"),
}


def write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step; an existing file keeps its permissions.

    The temporary file lives in the same folder, so the final rename never crosses a file
    system and a reader sees either the old file or the new one, never half of either.
    `durable=False` skips the flush to disk: for cache entries, which a crash may lose (a
    damaged one is read as absent), written by the thousand.
    """
    target = Path(os.path.realpath(path))  # through a symlink: replace the file, keep the link
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, new_file_mode())  # mkstemp makes 0600; a new file gets the usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, what: str = "文件", what_en: str = "file") -> None:
    """`write_bytes`, with a failure turned into an OutputError that names `what`, the path and why."""
    if path.is_dir():
        raise output_error(path, OSError(errno.EISDIR, "is a folder"), what, what_en)
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise output_error(path, exc, what, what_en) from None


def output_error(path: Path, exc: OSError, what: str = "文件", what_en: str = "file") -> OutputError:
    """The one message for a file that could not be written, in both languages."""
    zh, en = _reason(exc)
    return OutputError(f"无法写入{what} {display_name(path)}：{zh}", en=f"cannot write the {what_en} {display_name(path)}: {en}")


def new_file_mode() -> int:
    """The mode a newly created file gets under the current umask (mkstemp's files are private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _reason(exc: OSError) -> tuple[str, str]:
    other = exc.strerror or type(exc).__name__
    return _REASONS.get(exc.errno, (other, other))


def write_new(path: Path, text: str) -> None:
    """Write `text` to `path`, which must not exist: an existing file is never overwritten."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")  # hidden: check skips it
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        _publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, path: Path) -> None:
    """Give the finished file its name; a link fails, atomically, where the name is taken."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(f"文件已存在：{display_name(path)}。不会覆盖已有文件",
                         en=f"the file already exists: {display_name(path)}; an existing file is never overwritten") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise output_error(path, exc) from None
        if path.exists() or path.is_symlink():  # a file system without hard links: check, then rename
            raise UsageError(f"文件已存在：{display_name(path)}。不会覆盖已有文件",
                             en=f"the file already exists: {display_name(path)}; an existing file is never overwritten") from None
        os.replace(tmp, path)
