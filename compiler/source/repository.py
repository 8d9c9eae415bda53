"""The git repository a folder lies in, found by looking for `.git` without starting git.

Kept apart from SARIF and history so that the check cache can ask it without importing either.
"""

from __future__ import annotations

from pathlib import Path


def enclosing(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a folder, or a file in a linked worktree)."""
    for above in (folder, *folder.parents):
        if (above / ".git").exists():
            return above
    return None
