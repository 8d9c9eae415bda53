"""The one rule for `--base-url`: a plain http(s) address of a site, nothing that needs escaping.

The address is printed by the site theme into `<link rel="canonical">`, the sitemap and every
poster's QR code. Only a host name (with an optional port) and a path of unreserved characters
(or %XX escapes) are accepted, so it can never close an attribute, start a tag, carry a
password or a query; anything else is refused with a message, not repaired in silence.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from compiler.errors import UsageError

_HOST = re.compile(r"(?=.{1,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_PATH = re.compile(r"(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*\Z")


def base_url(text: str | None) -> str | None:
    """`text` as the site's address ending in "/", or a UsageError saying what is wrong with it."""
    if text is None:
        return None
    if len(text) > 2000 or not text.isascii() or not text.isprintable():
        raise _bad(text, "含有空格、控制字符或非 ASCII 字符（中文域名请用 xn-- 形式）",
                   "must not hold spaces, control or non-ASCII characters (write an internationalised domain as xn--)")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise _bad(text, "端口或地址格式不对", "must be a well-formed address (its port or form is invalid)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _bad(text, "须是 http:// 或 https:// 开头的完整网址", "must be a full address starting with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise _bad(text, "不能包含用户名或密码", "must not hold a user name or password")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise _bad(text, "不能包含查询（?）或锚点（#）", "must not hold a query (?) or fragment (#)")
    if not _HOST.match(parts.hostname) or (port is not None and not 0 < port < 65536):
        raise _bad(text, "主机名不对", "must have a valid host name")
    if not _PATH.match(parts.path):
        raise _bad(text, "路径中有网址不允许直接出现的字符（如引号、尖括号、空格）",
                   "must not hold characters an address may not hold as they are (quotes, angle brackets, spaces)")
    return text if text.endswith("/") else text + "/"


def _bad(text: str, zh: str, en: str) -> UsageError:
    shown = text.encode("unicode_escape").decode("ascii")[:200]  # never a control character to the terminal
    return UsageError(f"--base-url {zh}：{shown}", en=f"--base-url {en}: {shown}")
