"""Writing an output file whole or not at all: a temporary file beside it, then a rename.

A reader (a calendar app, a web server, an editor) never sees half a file, and a failed write
leaves the previous file as it was. `write_new` also never replaces a file that exists.

No write follows a symbolic link at the destination: a link there is refused (`OutputError`),
and the rename that finishes a write replaces a name, never what a name points at, so a link
planted between the check and the rename is replaced, not followed. A write that fails for the
disk's sake (full, read-only, a name too long) is an `OutputError` with the reason in words.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import tempfile
from pathlib import Path

from compiler.errors import InputError, OutputError, UsageError
from compiler.source.inputs import display_name

_REASONS = {  # (Chinese, English)
    errno.ENOENT: ("所在的文件夹不存在", "its folder does not exist"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.EACCES: ("没有写入权限", "no permission to write"),
    errno.EPERM: ("没有写入权限", "no permission to write"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.EROFS: ("文件系统只读", "the file system is read-only"),
    errno.ENOSPC: ("磁盘空间不足", "the disk is full"),
    errno.EDQUOT: ("超出磁盘配额", "the disk quota is exceeded"),
    errno.ENAMETOOLONG: ("文件名过长（一段名称最多 255 字节，一个汉字占 3 字节）",
                         "a file name is too long (at most 255 bytes per name)"),
    errno.EIO: ("磁盘读写错误", "an input/output error on the disk"),
    errno.EFBIG: ("文件超过文件系统允许的大小", "the file is larger than the file system allows"),
    errno.ELOOP: ("路径中的符号链接形成循环", "the symbolic links in the path form a loop"),
    errno.EEXIST: ("同名文件已存在", "a file of that name exists"),
}
# Errors that say the output could not be written, wherever they come from (mkdocs, shutil...).
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.ENAMETOOLONG, errno.EIO, errno.EFBIG})


class Changed(InputError):
    """The file changed on disk after it was read: writing would lose what someone else saved."""


def write_bytes(path: Path, data: bytes, expect: bytes | None = None, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step; an existing file keeps its permissions.

    The temporary file lives in the same folder, so the final rename never crosses a file
    system and a reader sees either the old file or the new one, never half of either.
    With `expect` (the bytes the new content was made from), the file is compared with it
    at the last moment before the rename, and `Changed` is raised, the file untouched, when
    someone saved it meanwhile. `durable=False` skips the flush to disk: for cache entries,
    which a crash may lose (a damaged one is read as absent), written by the thousand.
    """
    refuse_link(path)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if target.exists():
            os.chmod(tmp, os.lstat(target).st_mode & 0o7777)
        else:
            os.chmod(tmp, new_file_mode())  # mkstemp makes 0600; a new file gets the usual mode
        if expect is not None and _current(target) != expect:
            raise Changed(f"{display_name(target)} 在读取之后被修改过（可能是编辑器保存了新内容）；为免覆盖这些修改，"
                          "没有写入，文件保持原样。请重新运行同一命令",
                          en=f"{display_name(target)} changed after it was read (an editor saved it?); so as not to "
                          "lose those changes nothing was written and the file is as it was. Run the command again")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _current(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        return f.read()


def refuse_link(path: Path, what: str = "文件", what_en: str = "file") -> None:
    """An OutputError when a symbolic link stands at `path`: writing would change what it points at."""
    if os.path.islink(path):
        raise OutputError(f"无法写入{what} {display_name(path)}：它是符号链接（指向 {os.readlink(path)}），"
                          "为免改写链接指向的文件，不经链接写入；请删除链接或换一个文件名",
                          en=f"cannot write the {what_en} {display_name(path)}: it is a symbolic link (to "
                          f"{os.readlink(path)}); qingdan never writes through a link, remove it or choose another name")


def write_atomic(path: Path, data: bytes, what: str = "文件", what_en: str = "file") -> None:
    """`write_bytes`, with a failure turned into an OutputError that names `what` and the path."""
    if path.is_dir() and not path.is_symlink():
        zh, en = _REASONS[errno.EISDIR]
        raise OutputError(f"无法写入{what} {path}：{zh}", en=f"cannot write the {what_en} {path}: {en}")
    refuse_link(path, what, what_en)
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise output_error(exc, path, what, what_en) from None


def output_error(exc: OSError, path: Path | str | None = None, what: str = "文件", what_en: str = "file") -> OutputError:
    """`exc`, raised while writing `path`, as an OutputError that says why in words."""
    zh, en = _reason(exc)
    shown = display_name(Path(path)) if path is not None else ""
    return OutputError(f"无法写入{what} {shown}：{zh}", en=f"cannot write the {what_en} {shown}: {en}")


def is_write_failure(exc: OSError) -> bool:
    """Whether `exc` says that something could not be written (rather than a bug or a read)."""
    return _errno(exc) in WRITE_ERRNOS


def new_file_mode() -> int:
    """The mode a newly created file gets under the current umask (mkstemp's files are private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _errno(exc: OSError) -> int | None:
    """The error number; shutil.Error (copytree) carries its failures only as text."""
    if exc.errno is None:
        found = re.search(r"\[Errno (\d+)\]", str(exc))
        return int(found.group(1)) if found else None
    return exc.errno


def _reason(exc: OSError) -> tuple[str, str]:
    other = exc.strerror or type(exc).__name__
    code = _errno(exc)
    return _REASONS.get(code, (other, other)) if code is not None else (other, other)


def write_new(path: Path, text: str) -> None:
    """Write `text` to `path`, which must not exist: an existing file is never overwritten."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name[:40]}.{secrets.token_hex(4)}.tmp")  # hidden: check skips it
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        raise output_error(exc, path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        _publish(tmp, path)
    except OSError as exc:
        raise output_error(exc, path) from None
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, path: Path) -> None:
    """Give the finished file its name; a link fails, atomically, where the name is taken."""
    try:
        os.link(tmp, path)
    except FileExistsError:  # the user's choice of name, not the disk: a usage error
        raise UsageError(f"文件已存在：{display_name(path)}。不会覆盖已有文件",
                         en=f"the file already exists: {display_name(path)}; an existing file is never overwritten") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise output_error(exc, path) from None
        if path.exists() or path.is_symlink():  # a file system without hard links: check, then rename
            raise UsageError(f"文件已存在：{display_name(path)}。不会覆盖已有文件",
                             en=f"the file already exists: {display_name(path)}; an existing file is never overwritten") from None
        os.replace(tmp, path)
