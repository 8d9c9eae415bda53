"""Bytes to text: a list is UTF-8 (a BOM is tolerated); anything else is named, with the fix."""

from __future__ import annotations


def decode(raw: bytes) -> tuple[str | None, dict[str, str]]:
    """UTF-8 text (a BOM is tolerated); otherwise why not and how to fix it."""
    save_utf8 = "用编辑器“另存为”UTF-8 编码（无 BOM）后重试。"
    save_utf8_en = "save the file as UTF-8 (without BOM) and try again."
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, {"reason": "文件是 UTF-16 编码", "reason_en": "the file is UTF-16 encoded",
                      "fix": save_utf8, "fix_en": save_utf8_en}
    if len(raw) >= 2 and raw.count(b"\x00") * 3 >= len(raw) and _utf16(raw):
        return None, {"reason": "文件是 UTF-16 编码（没有 BOM）", "reason_en": "the file is UTF-16 encoded (no BOM)",
                      "fix": save_utf8, "fix_en": save_utf8_en}
    if b"\x00" in raw:
        return None, {"reason": "这是二进制文件，不是文本", "reason_en": "this is a binary file, not text",
                      "fix": "清单必须是 YAML 文本文件。", "fix_en": "a list must be a YAML text file."}
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), {}
    except UnicodeDecodeError as exc:
        guess = ""
        try:
            raw.decode("gb18030")
            guess, guess_en = "，看起来是 GBK/GB18030 编码", " (it looks like GBK/GB18030)"
        except UnicodeDecodeError:
            guess_en = ""
        return None, {"reason": f"不是 UTF-8 编码（第 {exc.start + 1} 字节）{guess}",
                      "reason_en": f"not UTF-8 (byte {exc.start + 1}){guess_en}", "fix": save_utf8, "fix_en": save_utf8_en}


def _utf16(raw: bytes) -> bool:
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if text and sum(ch.isprintable() or ch.isspace() for ch in text) / len(text) > 0.95:
            return True
    return False
