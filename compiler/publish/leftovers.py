"""What a build leaves beside its output while it runs, and how it is always cleaned up.

A build renders into a staging folder `.NAME.build-PID-XXXX` beside the output and swaps it in
with renames, moving the previous output to `.NAME.old-PID` for a moment. Clean-up runs with
SIGINT and SIGTERM held, so a second signal cannot stop it half-way (a 374 MB folder left
behind); a build killed outright (SIGKILL, a power cut) leaves its folders, and the next build
into the same place removes those whose process no longer runs. A build still running (another
PID that is alive) is left alone, so concurrent builds still end in one complete output.

When `--out` is a symbolic link (`public -> releases/site`), the output is its target: the
swap happens there and the link is kept, so no link is ever moved aside and left dangling.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path


def real_out(out: Path) -> Path:
    """The folder a build replaces: `out`, or the folder a link at `out` points to."""
    return Path(os.path.realpath(out)) if os.path.islink(out) else out


def staging_prefix(out: Path) -> str:
    """The name prefix of this process's staging folders for `out` (names are capped: a long
    output name must not make the staging name too long)."""
    return f".{out.name[:40]}.build-{os.getpid()}-"


def remove(folder: Path) -> None:
    """Remove `folder` whole, with SIGINT and SIGTERM held until it is gone."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        if os.path.islink(folder):
            os.unlink(folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2 ** 31  # someone else's process, or a number no process can have
    return True


def resume(out: Path) -> list[Path]:
    """Remove the staging and old-output folders that builds into `out` left when they died."""
    pattern = re.compile(re.escape(f".{out.name[:40]}.") + r"(?:build-(\d+)-.*|old-(\d+))\Z")
    removed: list[Path] = []
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        found = pattern.match(entry.name)
        if found and not _alive(int(found.group(1) or found.group(2))):
            remove(entry)
            removed.append(entry)
    return removed
