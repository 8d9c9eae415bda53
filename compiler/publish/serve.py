"""`serve`: a local preview of the site that rebuilds when a list, a template or the site changes.

For bureau staff editing their list: save the YAML, and the open page reloads itself. The
server is mkdocs' live-reload server; each rebuild is a full `build` into a private folder, so a
broken edit leaves the last good preview on screen and says what is wrong.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compiler.errors import QingdanError
from compiler.publish.build import BuildOptions, build
from compiler.publish.build_summary import WORDS, describe
from compiler.publish.render.env import TEMPLATES
from compiler.publish.render.site import SITE

Say = Callable[[str], None]


def _bad_path(path: str) -> bool:
    """A request path no file of the site can have: a NUL or another control character."""
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path)


def _preview_server(base: type) -> type:
    """mkdocs' live-reload server, answering 400 to a path it would crash on (a NUL makes its
    `realpath` raise, which it logs with a traceback) instead of passing it on."""

    class PreviewServer(base):
        def _serve_request(self, environ: dict, start_response: Callable) -> Any:
            if _bad_path(environ.get("PATH_INFO", "")):
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
                return [b"400 Bad Request"]
            return super()._serve_request(environ, start_response)

    return PreviewServer


def serve(catalogue: Path, as_of: dt.date, pdfs: bool, host: str, port: int, say: Say, lang: str = "zh") -> None:
    """Build into a private folder, serve it on host:port, and rebuild on every change until interrupted.

    `lang` is that of the messages and of the reviewers' report, as for `build`.
    """
    from mkdocs.livereload import LiveReloadServer

    out = Path(tempfile.mkdtemp(prefix="qingdan-preview-")) / "site"
    options = BuildOptions(catalogue, out, as_of, pdfs=pdfs, lang=lang)
    words = WORDS[lang]
    try:
        say(describe(build(options), lang))

        def rebuild() -> None:
            try:
                say(describe(build(options), lang))
            except QingdanError as exc:  # keep serving the last good build
                say(words["failed"].format(error=exc.text(lang)))

        server = _preview_server(LiveReloadServer)(builder=rebuild, host=host, port=port, root=str(out))
        server.error_handler = lambda code: (out / "404.html").read_bytes() if code == 404 and (out / "404.html").is_file() else None
        for path in (options.catalogue, TEMPLATES, SITE):
            server.watch(str(path))
        say(words["preview"].format(url=server.url))
        try:
            server.serve()
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
