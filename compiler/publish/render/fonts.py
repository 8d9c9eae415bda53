"""Which Chinese fonts this machine has, asked of fontconfig itself (the library WeasyPrint uses).

Without a CJK font WeasyPrint still writes a PDF, full of empty boxes: publishing must refuse
instead. The question goes to libfontconfig through ctypes (the same answer as
`fc-list :lang=zh family`, without needing the fc-list program).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from collections.abc import Sequence

from compiler.errors import BuildError

SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Noto Serif SC")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
        "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
# A family name goes into a CSS string: anything unusual is not worth the quoting risk.
PLAIN_FAMILY = re.compile(r"^[\w .\-]+$")
MISSING = "没有可用的中文字体，无法生成 PDF（否则汉字会显示为方框）。请安装：apt-get install fonts-noto-cjk"
MISSING_EN = ("no Chinese font is installed, so no PDF can be made (the characters would print as boxes); "
              "install one: apt-get install fonts-noto-cjk")
LIBRARY_NAMES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll")


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


def _fontconfig() -> ctypes.CDLL:
    names = [*LIBRARY_NAMES, ctypes.util.find_library("fontconfig")]
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.FcNameParse.restype = ctypes.c_void_p
        lib.FcNameParse.argtypes = [ctypes.c_char_p]
        lib.FcObjectSetCreate.restype = ctypes.c_void_p
        lib.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.FcFontList.restype = ctypes.POINTER(_FontSet)
        lib.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        lib.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_char_p)]
        lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
        lib.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
        lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
        return lib
    raise BuildError("找不到 fontconfig 库，无法检查中文字体。请安装：apt-get install fontconfig",
                     en="the fontconfig library was not found, so the Chinese fonts cannot be checked; "
                     "install it: apt-get install fontconfig")


def chinese_families() -> list[str]:
    """Every font family fontconfig says covers Chinese, sorted, without duplicates."""
    lib = _fontconfig()
    pattern = lib.FcNameParse(b":lang=zh")
    objects = lib.FcObjectSetCreate()
    lib.FcObjectSetAdd(objects, b"family")
    found = lib.FcFontList(None, pattern, objects)  # None: the current configuration
    families: set[str] = set()
    try:
        for k in range(found.contents.nfont if found else 0):
            value = ctypes.c_char_p()
            n = 0
            # A font may list several family names (localised ones too): take them all.
            while lib.FcPatternGetString(found.contents.fonts[k], b"family", n, ctypes.byref(value)) == 0:
                if value.value is not None:  # FcResultMatch guarantees a string; a NULL would be a broken fontconfig
                    families.add(value.value.decode("utf-8", "replace"))
                n += 1
    finally:
        if found:
            lib.FcFontSetDestroy(found)
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
    return sorted(families)


def check_cjk_font(preferred: Sequence[str] = SERIF + SANS) -> str:
    """The Chinese font family to print with: the first of `preferred` installed, else any.

    Raises BuildError, saying what to install, when the machine has no Chinese font at all.
    """
    families = [f for f in chinese_families() if PLAIN_FAMILY.fullmatch(f)]
    if not families:
        raise BuildError(MISSING, en=MISSING_EN)
    return next((f for f in preferred if f in families), families[0])
