"""Writing an output file whole or not at all: a temporary file beside it, then a rename.

A reader (a calendar app, a web server, an editor) never sees half a file, and a failed write
leaves the previous file as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from compiler.errors import UsageError

_REASONS = {
    errno.ENOENT: "所在的文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EISDIR: "这是一个文件夹",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间不足",
}


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; an existing file keeps its permissions.

    The temporary file lives in the same folder, so the final rename never crosses a file
    system and a reader sees either the old file or the new one, never half of either.
    """
    target = Path(os.path.realpath(path))  # through a symlink: replace the file, keep the link
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a new file gets the usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, what: str = "文件") -> None:
    """`write_bytes`, with a failure turned into a UsageError that names the path in Chinese."""
    if path.is_dir():
        raise UsageError(f"无法写入{what} {path}：{_REASONS[errno.EISDIR]}")
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise UsageError(f"无法写入{what} {path}：{_reason(exc)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or type(exc).__name__)
