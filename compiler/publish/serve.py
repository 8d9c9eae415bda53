"""`serve`: a local preview of the site that rebuilds when a list, a template or the site changes.

For bureau staff editing their list: save the YAML, and the open page reloads itself. The
server is mkdocs' live-reload server; each rebuild is a full `build` into a private folder, so a
broken edit leaves the last good preview on screen and says what is wrong.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from compiler.errors import QingdanError
from compiler.publish.build import BuildOptions, build
from compiler.publish.build_summary import WORDS, describe
from compiler.publish.render.env import TEMPLATES
from compiler.publish.render.site import SITE

Say = Callable[[str], None]


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

        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out))
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
