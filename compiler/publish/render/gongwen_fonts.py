"""The faces of an official document (公文), where this machine has them.

GB/T 9704-2012 sets the title in 小标宋, the text in 仿宋 and headings in 黑体. No Debian font
package is a 仿宋 except the Fandol fonts that come with the Chinese TeX package
(`texlive-lang-chinese`): FandolFang (仿宋), FandolHei (黑体) and FandolSong (宋体). TeX keeps them
outside fontconfig's folders, so they are handed to WeasyPrint by @font-face with file URLs, and
the asset fetcher is told it may read exactly these files. Where a face is missing, the stand-in
is named in the stylesheet's fallback list: Noto Serif CJK SC for 仿宋 and 宋体, Noto Sans CJK SC
for 黑体. The title's heavy serif (小标宋 has no free equivalent) is Noto Serif CJK SC Bold.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

# Where Debian's texlive-fonts packages put the Fandol fonts; kpsewhich finds them elsewhere.
FANDOL_FOLDERS = (Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
                  Path("/usr/share/texmf/fonts/opentype/public/fandol"),
                  Path("/usr/local/share/fonts/fandol"))
# The stylesheet's role (a custom property --qd-…) → (file, weight): one @font-face each, under the
# font's own family name, so the PDF names the font it embeds.
FANDOL = {"qd-fang": ("FandolFang-Regular.otf", 400), "qd-hei": ("FandolHei-Regular.otf", 400),
          "qd-hei-bold": ("FandolHei-Bold.otf", 700), "qd-song": ("FandolSong-Regular.otf", 400)}
FAMILY = {"qd-fang": "FandolFang", "qd-hei": "FandolHei", "qd-hei-bold": "FandolHei", "qd-song": "FandolSong"}
STAND_INS = {"qd-fang": '"Noto Serif CJK SC", serif', "qd-hei": '"Noto Sans CJK SC", sans-serif',
             "qd-song": '"Noto Serif CJK SC", serif'}
TITLE = '"Noto Serif CJK SC", "Source Han Serif SC", serif'


def _kpsewhich(name: str) -> Path | None:
    if shutil.which("kpsewhich") is None:
        return None
    try:
        found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found else None


def _find(name: str) -> Path | None:
    for folder in FANDOL_FOLDERS:
        if (folder / name).is_file():
            return folder / name
    return _kpsewhich(name)


@cache
def fandol_files() -> dict[str, Path]:
    """The Fandol files found, by their CSS family name here."""
    found = {}
    for family, (name, _) in FANDOL.items():
        if (path := _find(name)) is not None:
            found[family] = path.resolve()
    return found


def faces_css(fallback: str) -> str:
    """@font-face rules for the Fandol files found, and the custom properties the stylesheet uses.

    `fallback` is the family that draws what a Fandol face lacks (it covers GB 2312, not every
    character a list may hold), and stands in for a face that is not installed.
    """
    files = fandol_files()
    rules = []
    for family, (_, weight) in FANDOL.items():
        if family in files:
            rules.append(f'@font-face {{ font-family: "{FAMILY[family]}"; src: url("{files[family].as_uri()}"); '
                         f"font-weight: {weight}; }}")
    props = []
    for family, stand_in in STAND_INS.items():
        own = f'"{FAMILY[family]}", ' if family in files else ""
        props.append(f'--{family}: {own}"{fallback}", {stand_in};')
    props.append(f"--qd-title: {TITLE};")
    return "\n".join(rules) + "\n:root { " + " ".join(props) + " }"


def faces_in_use() -> dict[str, str]:
    """Which face prints each role of the 公文 form on this machine (for the README and tests)."""
    files = fandol_files()
    return {"仿宋": "FandolFang" if "qd-fang" in files else "Noto Serif CJK SC（代用）",
            "黑体": "FandolHei" if "qd-hei" in files else "Noto Sans CJK SC（代用）",
            "标题": "Noto Serif CJK SC Bold（小标宋代用）"}
