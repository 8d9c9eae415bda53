"""The formats Chinese offices use every day and no Python library reads well (.doc, .wps, .xls,
.et), converted to .docx/.xlsx by LibreOffice in headless mode.

Each conversion runs with its own LibreOffice profile in a private temporary folder: two
conversions at once (two imports, or tests in parallel) would otherwise fight over the one
profile of the user, and the second would silently do nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from compiler.errors import InputError

# The format LibreOffice is asked for, and the Debian package whose filter does the conversion.
TARGETS = {".doc": ("docx", "libreoffice-writer-nogui"), ".wps": ("docx", "libreoffice-writer-nogui"),
           ".xls": ("xlsx", "libreoffice-calc-nogui"), ".et": ("xlsx", "libreoffice-calc-nogui")}
TIMEOUT = 120  # seconds; the first start of a fresh profile takes a few, a large file a few more


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, folder: Path) -> Path:
    """`path` converted into `folder` (which the caller removes), as .docx or .xlsx."""
    target, package = TARGETS[path.suffix.lower()]
    program = soffice()
    if program is None:
        raise InputError(f"要读取 {path.suffix} 文件，需要安装 LibreOffice（Debian/Ubuntu：sudo apt-get install "
                         f"--no-install-recommends {package}）；也可以在 WPS 或 Word 中把它另存为 .{target} 后再导入",
                         en=f"reading a {path.suffix} file needs LibreOffice (Debian/Ubuntu: sudo apt-get install "
                         f"--no-install-recommends {package}); or save it as .{target} in WPS or Word and import that")
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=folder))
    # A .wps or .et is read by its content; copying it under a name LibreOffice knows helps its detection.
    source = folder / (path.stem + path.suffix.lower())
    shutil.copyfile(path, source)
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(folder / "out"), str(source)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise InputError(f"LibreOffice 转换 {path.name} 超过 {TIMEOUT} 秒仍未完成，已放弃；可在 WPS 或 Word 中"
                         f"另存为 .{target} 后再导入",
                         en=f"LibreOffice did not convert {path.name} within {TIMEOUT} s; save it as .{target} "
                         "in WPS or Word and import that") from None
    result = folder / "out" / f"{source.stem}.{target}"
    if not result.is_file():
        why = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["没有输出"]
        raise InputError(f"LibreOffice 无法转换 {path.name}（{why[0]}）：文件可能已损坏或有密码保护",
                         en=f"LibreOffice could not convert {path.name} ({why[0]}): the file may be damaged "
                         "or password-protected")
    return result
