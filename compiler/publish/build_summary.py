"""What `build` and `serve` say about their builds, in Chinese or English; the CLI prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compiler.publish.failure import Failure

if TYPE_CHECKING:  # an up-to-date build is summarised without importing the renderers
    from compiler.publish.freshness import BuildResult

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "up_to_date": "{out}/ 已是最新：清单、模板和选项都没有变化，未重新生成（{seconds:.1f} 秒）",
        "published": "已发布 {n} 份清单到 {out}/（{seconds:.1f} 秒）",
        "site": "  网站：{out}/index.html（{pages} 个页面）",
        "pdf": "  PDF：{out}/pdf/（{n} 份正式版、{n} 张海报（A4 和 A3 各一份）、审核报告；"
               "连同 Word 版本次生成 {rendered} 个，{cached} 个未变、取自缓存）",
        "docx": "  Word 版：{out}/docx/（{n} 份，公文格式，供征求意见和印发附件）",
        "data": "  开放数据：{out}/data/（{data} 个 JSON 文件）",
        "verdict": "  符合底线 {ok} 份，不符合 {below} 份（详见审核报告或 qingdan check）",
        "no_qr": "  提示：未指定 --base-url，海报上没有二维码",
        "left_out": "未发布 {name}：文件无法读取或不是有效的清单（运行 qingdan check {name} 查看原因）",
        "failed_list": "未发布 {name}：{reason}；其余清单照常发布",
        "built": "已构建 {n} 份清单（{seconds:.1f} 秒）",
        "below": "；不符合底线：{names}（运行 qingdan check 查看详情）",
        "sep": "、",
        "failed": "构建失败，网页保持上一次的结果：{error}",
        "preview": "预览地址：{url}（修改并保存 YAML 后网页会自动刷新；按 Ctrl+C 停止）",
    },
    "en": {
        "up_to_date": "{out}/ is up to date: the lists, templates and options are unchanged, nothing was rebuilt "
                      "({seconds:.1f} s)",
        "published": "published {n} lists to {out}/ ({seconds:.1f} s)",
        "site": "  site: {out}/index.html ({pages} pages)",
        "pdf": "  PDF: {out}/pdf/ ({n} editions, {n} posters in A4 and A3, the reviewers' report; with the Word "
               "editions {rendered} rendered now, {cached} unchanged, from the cache)",
        "docx": "  Word editions: {out}/docx/ ({n} files in the official-document form, for comment and issuing)",
        "data": "  open data: {out}/data/ ({data} JSON files)",
        "verdict": "  {ok} meet their floor, {below} fall below it (see the reviewers' report or qingdan check)",
        "no_qr": "  note: no --base-url given, so the posters have no QR code",
        "left_out": "{name} was not published: the file is unreadable or not a valid list "
                    "(run qingdan check {name} to see why)",
        "failed_list": "{name} was not published: {reason}; the other lists are published",
        "built": "built {n} lists ({seconds:.1f} s)",
        "below": "; below their floor: {names} (run qingdan check for the details)",
        "sep": ", ",
        "failed": "the build failed; the pages show the last good one: {error}",
        "preview": "preview at {url} (the page reloads itself when a YAML file is saved; Ctrl+C stops)",
    },
}


def summary(result: BuildResult, lang: str = "zh") -> list[str]:
    """The lines `build` prints on standard output: where everything went and how many lists fall short."""
    w = WORDS[lang]
    if result.up_to_date:
        return [w["up_to_date"].format(out=result.out, seconds=result.seconds)]
    n, ok = len(result.views), sum(v.compliant for v in result.views)
    lines = [w["published"].format(n=n, out=result.out, seconds=result.seconds),
             w["site"].format(out=result.out, pages=len(result.pages))]
    if result.pdfs:
        lines.append(w["pdf"].format(out=result.out, n=n, rendered=result.rendered,
                                     cached=len(result.pdfs) - result.rendered))
        lines.append(w["docx"].format(out=result.out, n=sum(p.endswith(".docx") for p in result.pdfs)))
    lines.append(w["data"].format(out=result.out, data=len(result.data)))
    lines.append(w["verdict"].format(ok=ok, below=n - ok))
    return lines


def left_out(name: str, lang: str = "zh") -> str:
    """Why a file was not published, and how to find out more."""
    return WORDS[lang]["left_out"].format(name=name)


def not_published(failure: Failure, lang: str = "zh") -> str:
    """Why a valid list was left out of the output."""
    return WORDS[lang]["failed_list"].format(name=failure.name, reason=failure.text(lang))


def describe(result: BuildResult, lang: str = "zh") -> str:
    """One rebuild of the preview in a few lines: how many lists, which fall short, which were left out."""
    w = WORDS[lang]
    line = w["built"].format(n=len(result.views), seconds=result.seconds)
    if broken := [v.jurisdiction for v in result.views if not v.compliant]:
        line += w["below"].format(names=w["sep"].join(broken))
    return (line + "".join(f"\n  {left_out(bad.name, lang)}" for bad in result.left_out)
            + "".join(f"\n  {not_published(f, lang)}" for f in result.failed))
