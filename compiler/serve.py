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

from compiler.build import BuildOptions, BuildResult, build
from compiler.errors import QingdanError
from compiler.render.env import TEMPLATES
from compiler.render.site import SITE

Say = Callable[[str], None]


def describe(result: BuildResult) -> str:
    broken = [v.jurisdiction for v in result.views if not v.compliant]
    line = f"已构建 {len(result.views)} 份清单（{result.seconds:.1f} 秒）"
    if broken:
        line += "；不符合底线：" + "、".join(broken) + "（运行 qingdan check 查看详情）"
    for bad in result.left_out:
        line += f"\n  未发布 {bad.name}：文件无法读取或不是有效的清单（运行 qingdan check {bad.name} 查看原因）"
    return line


def serve(catalogue: Path, as_of: dt.date, pdfs: bool, host: str, port: int, say: Say) -> None:
    """Build into a private folder, serve it on host:port, and rebuild on every change until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    out = Path(tempfile.mkdtemp(prefix="qingdan-preview-")) / "site"
    options = BuildOptions(catalogue, out, as_of, pdfs=pdfs)
    try:
        say(describe(build(options)))

        def rebuild() -> None:
            try:
                say(describe(build(options)))
            except QingdanError as exc:  # keep serving the last good build
                say(f"构建失败，网页保持上一次的结果：{exc}")

        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out))
        server.error_handler = lambda code: (out / "404.html").read_bytes() if code == 404 and (out / "404.html").is_file() else None
        for path in (options.catalogue, TEMPLATES, SITE):
            server.watch(str(path))
        say(f"预览地址：{server.url}（修改并保存 YAML 后网页会自动刷新；按 Ctrl+C 停止）")
        try:
            server.serve()
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
