"""jieba's dictionary cache in qingdan's own cache folder, for every part of the build that cuts words."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def private_jieba_cache() -> None:
    """Keep jieba's dictionary cache in qingdan's own cache folder (mode 0700), not the shared
    temp folder, where anyone could plant a cache that changes how the search index is cut."""
    try:
        import jieba
    except ImportError:  # the theme then does without
        return
    from compiler.publish.render.cache import default_folder

    folder = default_folder() / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if folder.is_symlink() or folder.stat().st_uid != os.getuid():
            raise OSError("not ours")
    except OSError:  # no usable cache folder: a private one for this run
        folder = Path(tempfile.mkdtemp(prefix="qingdan-jieba-"))
    jieba.dt.tmp_dir = str(folder)
    jieba.dt.cache_file = None
