"""Writing a new file all at once: a reader sees nothing or the whole text, never part of it."""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from compiler.errors import UsageError
from compiler.loader import display_name


def write_new(path: Path, text: str) -> None:
    """Write `text` to `path`, which must not exist: an existing file is never overwritten."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")  # hidden: check skips it
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise UsageError(f"无法在 {display_name(path.parent)} 中写文件：{exc.strerror or exc}") from None
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
        raise UsageError(f"文件已存在：{display_name(path)}。不会覆盖已有文件") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise UsageError(f"无法写入 {display_name(path)}：{exc.strerror or exc}") from None
        if path.exists() or path.is_symlink():  # a file system without hard links: check, then rename
            raise UsageError(f"文件已存在：{display_name(path)}。不会覆盖已有文件") from None
        os.replace(tmp, path)
