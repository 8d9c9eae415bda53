"""Writing an output file whole or not at all: a temporary file beside it, then a rename.

A reader (a calendar app, a web server) never sees half a file, and a failed write leaves the
previous file as it was.
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


def write_atomic(path: Path, data: bytes, what: str = "文件") -> None:
    """Write `data` to `path` atomically; a failure is a UsageError naming the path in Chinese."""
    if path.is_dir():
        raise UsageError(f"无法写入{what} {path}：{_REASONS[errno.EISDIR]}")
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"无法写入{what} {path}：{_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the mode a new file gets
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"无法写入{what} {path}：{_reason(exc)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or type(exc).__name__)
