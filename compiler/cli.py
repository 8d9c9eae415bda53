"""The `qingdan` command: parse arguments, run a pipeline, print, choose the exit status.

This is the only module that prints. Exit status: 0 no error-level finding, 1 at least one
(for `diff`: a place where the new edition is lower than the old), 2 a usage error or
unreadable input. A bug in qingdan itself prints a short message, not a
traceback (set QINGDAN_DEBUG=1 to see it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from compiler import __version__
from compiler.diagnostics import Severity
from compiler.errors import InputError, QingdanError, UsageError

if TYPE_CHECKING:
    from compiler.check_cache import Request


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own wording is English-only
        self.print_usage(sys.stderr)
        raise UsageError(f"命令行参数有误：{message}", en=f"invalid command line: {message}")

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        # A command's positionals may follow its options (`new 漳平市 --floor fujian@1 catalogue/`);
        # argparse allows that only when intermixing, which a parser holding subcommands cannot do.
        if self._subparsers is not None or getattr(self, "_intermixing", False):
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def _date_type(lang: str) -> Callable[[str], dt.date]:
    """An argparse type for YYYY-MM-DD dates whose complaint is in `lang`."""
    def date(text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的有效日期" if lang == "zh" else
                                             f"'{text}' is not a valid date in the form YYYY-MM-DD") from None
    return date


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The whole command line; its help (`-h`) speaks `lang`, as do its complaints about dates."""
    def _h(zh: str, en: str) -> str:
        return en if lang == "en" else zh

    _date = _date_type(lang)
    catalogue_help = _h("清单目录（默认 catalogue/）", "catalogue folder (default: catalogue/)")
    as_of_help = _h("按哪一天计算期限（默认今天）", "the day deadlines are counted for (default: today)")
    parser = _Parser(prog="qingdan", description=_h("清单：流动儿童关爱服务清单的编译、核查与发布工具",
                                                    "qingdan: compile, check and publish the lists of care "
                                                    "services for migrant children"))
    parser.add_argument("--version", action="version", version=f"qingdan {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default="zh",
                        help=_h("输出语言（默认中文）", "language of the output (default: zh, Chinese)"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("check", parents=[common], help=_h("核查清单：结构、底线、期限",
                                                          "check lists: structure, floor, deadlines"))
    p.add_argument("paths", nargs="*", type=Path, help=_h("清单文件或目录（默认 catalogue/）",
                                                          "list files or folders (default: catalogue/)"))
    p.add_argument("--as-of", type=_date, default=None, help=as_of_help)
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                   help=_h("输出格式：text（默认）、json，或供代码扫描服务读取的 sarif（SARIF 2.1.0）",
                           "output format: text (default), json, or sarif (SARIF 2.1.0) for code scanning services"))
    p.add_argument("--min-severity", choices=["info", "warning", "error"], default="info",
                   help=_h("只显示不低于该级别的诊断（默认全部）",
                           "show only findings of this severity or above (default: all)"))
    p.add_argument("--no-cache", action="store_true",
                   help=_h("不使用缓存，重新核查（文件、选项和日期都未变时，默认直接给出上次的结果；缓存默认在 ~/.cache/qingdan）",
                           "check afresh without the cache (by default, when the files, options and date are "
                           "unchanged, the last result is given again; the cache is in ~/.cache/qingdan)"))

    p = sub.add_parser("explain", parents=[common], help=_h(
        "显示从清单条文中读出了什么：承诺程度及其依据的词、数字、限定语，以及与底线逐项对照的结果",
        "show what was read in a list's texts: commitment and the words it rests on, numbers, qualifiers, "
        "and the comparison with the floor element by element"))
    p.add_argument("file", help=_h("清单文件，可加行号：文件:行（如 catalogue/cities/fuzhou.yaml:92）",
                                   "a list file, optionally with a line: FILE:LINE (e.g. catalogue/cities/fuzhou.yaml:92)"))
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("deadlines", parents=[common], help=_h("计算备案期限和更新期限",
                                                              "compute the filing and renewal deadlines"))
    p.add_argument("--issued", type=_date, required=True, help=_h("印发日期", "date the list was issued"))
    p.add_argument("--filed", type=_date, help=_h("备案日期", "date the list was filed"))
    p.add_argument("--as-of", type=_date, default=None,
                   help=_h("按哪一天判断状态（默认今天）", "the day the status is judged for (default: today)"))
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("build", parents=[common], help=_h(
        "发布：家庭网站、PDF 正式版和海报、审核报告、开放数据",
        "publish: the families' website, the official PDFs and posters, the reviewers' report, open data"))
    p.add_argument("catalogue", nargs="?", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--out", type=Path, default=Path("public"),
                   help=_h("输出目录（默认 public/）", "output folder (default: public/)"))
    p.add_argument("--base-url", default=None,
                   help=_h("网站的正式网址，如 https://example.gov.cn/qingdan/（海报二维码指向它）",
                           "the website's public address, e.g. https://example.gov.cn/qingdan/ "
                           "(the posters' QR codes point to it)"))
    p.add_argument("--as-of", type=_date, default=None, help=as_of_help)
    p.add_argument("--no-pdf", action="store_true",
                   help=_h("不生成 PDF（预览网页时更快）", "make no PDFs (faster when previewing the website)"))
    p.add_argument("--no-cache", action="store_true",
                   help=_h("不使用缓存，全部重新生成（缓存默认在 ~/.cache/qingdan）",
                           "regenerate everything without the cache (the cache is in ~/.cache/qingdan)"))

    p = sub.add_parser("status", parents=[common], help=_h(
        "全省期限一览：每份清单的备案和更新期限，最紧迫的在前",
        "the province's deadlines at a glance: each list's filing and renewal deadlines, most urgent first"))
    p.add_argument("catalogue", nargs="?", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--as-of", type=_date, default=None, help=as_of_help)
    p.add_argument("--ics", type=Path, metavar="FILE",
                   help=_h("另把期限写成 iCalendar 文件（.ics），可导入日历",
                           "also write the deadlines to an iCalendar file (.ics) to import into a calendar"))
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("diff", parents=[common], help=_h(
        "比较同一份清单的两个版本：新增、删去、修改，以及低于旧版之处",
        "compare two editions of one list: what was added, removed, changed, and where the new is lower"))
    p.add_argument("old", help=_h("旧版：清单文件，或 文件@git版本（如 catalogue/cities/fuzhou.yaml@HEAD~1）",
                                  "old edition: a list file, or FILE@REVISION in git "
                                  "(e.g. catalogue/cities/fuzhou.yaml@HEAD~1)"))
    p.add_argument("new", help=_h("新版：清单文件，或 文件@git版本", "new edition: a list file, or FILE@REVISION in git"))
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("serve", parents=[common], help=_h(
        "本地预览网站，修改清单后自动重新构建",
        "preview the website locally, rebuilding it whenever a list is changed"))
    p.add_argument("catalogue", nargs="?", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--host", default="127.0.0.1",
                   help=_h("监听地址（默认 127.0.0.1，只有本机能访问）",
                           "address to listen on (default: 127.0.0.1, reachable from this machine only)"))
    p.add_argument("--port", type=int, default=8000, help=_h("端口（默认 8000）", "port (default: 8000)"))
    p.add_argument("--as-of", type=_date, default=None, help=as_of_help)
    p.add_argument("--pdf", action="store_true",
                   help=_h("同时生成 PDF（较慢；默认只预览网页）",
                           "make the PDFs too (slower; by default only the website is previewed)"))

    sub.add_parser("schema", parents=[common], help=_h(
        "输出清单格式的 JSON Schema（供编辑器补全和检查）",
        "print the JSON Schema of the list format (for completion and checking in editors)"))

    p = sub.add_parser("codes", parents=[common], help=_h("列出全部诊断代码", "list every diagnostic code"))
    p.add_argument("--markdown", action="store_true",
                   help=_h("输出 README 用的 Markdown 表格", "print the Markdown table for the README"))

    p = sub.add_parser("upgrade", parents=[common], help=_h(
        "把清单的底线改为新版本，并补上新版要求的条款骨架",
        "move a list to a newer edition of its floor, adding skeletons of the provisions it requires"))
    p.add_argument("file", type=Path, help=_h("要升级的清单文件", "the list file to upgrade"))
    p.add_argument("--to", type=int, default=None, metavar="EDITION",
                   help=_h("升级到底线的哪一版（默认最新版）", "edition of the floor to upgrade to (default: the latest)"))
    p.add_argument("--dry-run", action="store_true",
                   help=_h("只显示改动（unified diff），不写文件", "only show the changes (unified diff); write nothing"))

    p = sub.add_parser("export", help=_h("导出核查结果", "export the results of the check"))
    formats = p.add_subparsers(dest="export_format", required=True, parser_class=_Parser)
    p = formats.add_parser("xlsx", parents=[common], help=_h("Excel 工作簿：合规矩阵和每份清单",
                                                             "Excel workbook: the compliance matrix and each list"))
    p.add_argument("path", nargs="?", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--out", type=Path, required=True, help=_h("输出文件，如 matrix.xlsx", "output file, e.g. matrix.xlsx"))
    p.add_argument("--as-of", type=_date, default=None,
                   help=_h("按哪一天计算期限，也是工作簿的日期（默认今天）",
                           "the day deadlines are counted for, also the workbook's date (default: today)"))

    p = sub.add_parser("new", parents=[common], help=_h("依据底线清单生成一份新清单（草稿）",
                                                        "generate a new list (a draft) from its floor"))
    p.add_argument("jurisdiction", help=_h("辖区名称，如 漳平市、闽侯县",
                                           "name of the jurisdiction, written in Chinese as officially named"))
    p.add_argument("catalogue", nargs="?", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--floor", required=True, help=_h("底线清单及版本，如 fujian@1", "floor list and edition, e.g. fujian@1"))
    p.add_argument("--id", dest="list_id", help=_h("清单编号（默认由辖区名称的拼音生成）",
                                                   "list id (default: from the pinyin of the jurisdiction's name)"))
    p.add_argument("--level", choices=["city", "county"],
                   help=_h("层级（默认为底线的下一级）", "level (default: the one below the floor's)"))
    p.add_argument("--out", type=Path, help=_h("写到哪个文件（默认 清单目录/cities 或 counties/编号.yaml）",
                                               "file to write (default: CATALOGUE/cities/ID.yaml or counties/ID.yaml)"))

    p = sub.add_parser("import", parents=[common], help=_h(
        "把 Word、Excel 或 CSV 表格中的清单导入为新清单，并核查它",
        "import a list's table from a Word, Excel or CSV file as a new list, and check it"))
    p.add_argument("file", type=Path, help=_h("表格文件：.docx .xlsx .csv，装有 LibreOffice 时还有 .doc .wps .xls .et",
                                              "the table: .docx .xlsx .csv, and .doc .wps .xls .et where LibreOffice is installed"))
    p.add_argument("catalogue", nargs="?", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--floor", help=_h("底线清单及版本，如 fujian@1（默认：上一级唯一已印发的清单；省级清单没有底线）",
                                      "floor list and edition, e.g. fujian@1 (default: the one issued list above; "
                                      "a provincial list has none)"))
    p.add_argument("--jurisdiction", help=_h("辖区名称（默认取自表格上方的标题）",
                                             "name of the jurisdiction (default: from the title above the table)"))
    p.add_argument("--id", dest="list_id", help=_h("清单编号（默认由辖区名称的拼音生成）",
                                                   "list id (default: from the pinyin of the jurisdiction's name)"))
    p.add_argument("--level", choices=["province", "city", "county"],
                   help=_h("层级（默认为底线的下一级）", "level (default: the one below the floor's)"))
    p.add_argument("--out", type=Path, help=_h("写到哪个文件（默认 清单目录/cities 或 counties/编号.yaml）",
                                               "file to write (default: CATALOGUE/cities/ID.yaml or counties/ID.yaml)"))
    p.add_argument("--sheet", help=_h("用哪个工作表或表格（默认按表头自动查找）",
                                      "which sheet or table to read (default: found by its header)"))
    return parser


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl+C, so a build removes its staging folder


def requested_lang(argv: Sequence[str]) -> str:
    """The language asked for on the command line, read before (or without) parsing it.

    `--lang` belongs to each subcommand, so a usage error found while parsing has no parsed
    value to go by; the last `--lang en` / `--lang=en` before a `--` decides, as argparse would.
    """
    lang = "zh"
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and k + 1 < len(argv):
            lang = argv[k + 1]
        elif arg.startswith("--lang="):
            lang = arg.removeprefix("--lang=")
    return "en" if lang == "en" else "zh"


def main(argv: Sequence[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = requested_lang(argv)
    try:
        args = build_parser(lang).parse_args(argv)
        lang = getattr(args, "lang", lang)
        return _run(args)
    except QingdanError as exc:
        print(f"qingdan: {exc.text(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("qingdan: " + ("interrupted" if lang == "en" else "已中断"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("QINGDAN_DEBUG"):
            traceback.print_exc()
        if lang == "en":
            print(f"qingdan: internal error ({type(exc).__name__}: {exc}). This is a bug in qingdan, not a problem "
                  "with the lists; set QINGDAN_DEBUG=1 to see the details.", file=sys.stderr)
        else:
            print(f"qingdan: 内部错误（{type(exc).__name__}: {exc}）。这是 qingdan 的缺陷，不是清单的问题；"
                  "设置 QINGDAN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 3


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "explain":
        from compiler.explain import run as explain

        return explain(args)
    if args.command == "deadlines":
        return _deadlines(args)
    if args.command == "build":
        return _build(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "codes":
        return _codes(args)
    if args.command == "status":
        return _status(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "upgrade":
        return _upgrade(args)
    if args.command == "export":
        return _export_xlsx(args)
    if args.command == "new":
        return _new(args)
    if args.command == "import":
        from compiler.source.importers.command import run
        return run(args)
    if args.command == "schema":
        from compiler.schema import catalogue_schema

        print(json.dumps(catalogue_schema(), ensure_ascii=False, indent=2))
        return 0
    raise UsageError(f"未知命令 {args.command}", en=f"unknown command {args.command}")  # pragma: no cover - argparse rejects it first


def _check(args: argparse.Namespace) -> int:
    from compiler import check_cache, pipeline
    from compiler.render.cache import default_folder

    inputs = pipeline.inputs(args.paths or [Path("catalogue")])
    request = check_cache.Request(inputs, args.as_of or dt.date.today(), (args.format, args.lang, args.min_severity))
    cache = check_cache.CheckCache(None if args.no_cache else default_folder())
    code, out = cache.run(request, lambda: _check_output(request, args))
    sys.stdout.write(out)
    return code


def _check_output(request: Request, args: argparse.Namespace) -> tuple[int, str]:
    from compiler import formats, pipeline

    found = request.inputs
    result = pipeline.check_files(found.root, found.files, found.reported, request.as_of)
    severity = Severity.parse(args.min_severity)
    if args.format == "sarif":
        from compiler.sarif import to_sarif

        return result.exit_code(), to_sarif(result, args.lang, severity)
    if args.format == "json":
        return result.exit_code(), formats.to_json(result, args.lang, severity)
    return result.exit_code(), formats.text(result, args.lang, severity)


def _base_url(text: str | None) -> str | None:
    if text is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-url 须是 http:// 或 https:// 开头的完整网址：{text}",
                         en=f"--base-url must be a full address starting with http:// or https://: {text}")
    return text if text.endswith("/") else text + "/"


def _build(args: argparse.Namespace) -> int:
    from compiler.build import BuildOptions, build
    from compiler.build_summary import WORDS, left_out, summary
    from compiler.render.cache import default_folder

    options = BuildOptions(args.catalogue, args.out, args.as_of or dt.date.today(), _base_url(args.base_url),
                           pdfs=not args.no_pdf, cache=None if args.no_cache else default_folder(), lang=args.lang)
    tty = sys.stderr.isatty()

    def progress(step: str) -> None:
        print(f"\r\033[K… {step}" if tty else f"… {step}", end="" if tty else "\n", file=sys.stderr, flush=True)

    result = build(options, progress)
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    for bad in result.left_out:
        print(f"qingdan: {left_out(bad.name, args.lang)}", file=sys.stderr)
    print("\n".join(summary(result, args.lang)))
    if result.up_to_date:
        return 1 if result.left_out else 0
    if result.pdfs and not options.base_url:
        print(WORDS[args.lang]["no_qr"], file=sys.stderr)
    return 1 if result.left_out else 0


def _status(args: argparse.Namespace) -> int:
    from compiler import pipeline, status

    as_of = args.as_of or dt.date.today()
    if args.ics is not None and args.ics.suffix.lower() != ".ics":  # also keeps a slip from overwriting a list
        raise UsageError(f"ICS 文件名须以 .ics 结尾：{args.ics}", en=f"the ICS file name must end in .ics: {args.ics}")
    result = pipeline.check([args.catalogue], as_of)
    if args.ics is not None:
        from compiler.atomic import write_atomic
        from compiler.ics import calendar

        write_atomic(args.ics, calendar(status.rows(result), as_of, args.lang), "ICS 文件", "ICS file")
    sys.stdout.write(status.to_json(result, args.lang) if args.format == "json" else status.text(result, args.lang))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from compiler.serve import serve

    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # its per-request chatter is not for bureau staff
    say = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    try:
        serve(args.catalogue, args.as_of or dt.date.today(), args.pdf, args.host, args.port, say, args.lang)
    except OSError as exc:
        raise UsageError(f"无法在 {args.host}:{args.port} 上启动预览（{exc.strerror or exc}），请换一个 --port",
                         en=f"cannot start the preview on {args.host}:{args.port} ({exc.strerror or exc}); "
                         "try another --port") from None
    return 0


def _deadlines(args: argparse.Namespace) -> int:
    from compiler.deadlines import RULES, filing_assessment, renewal_assessment
    from compiler.formats import describe_status
    from compiler.models import Level

    rule = RULES[Level.city]
    as_of = args.as_of or dt.date.today()
    if args.filed and args.filed < args.issued:
        raise UsageError(f"备案日期 {args.filed} 早于印发日期 {args.issued}",
                         en=f"the filing date {args.filed} is before the issue date {args.issued}")
    filing = filing_assessment(args.issued, args.filed, as_of, rule.filing_days or 10)
    renewal = renewal_assessment(args.issued, as_of, rule.renewal_years or 2)
    unknown = sorted(filing.period.unknown_years | renewal.period.unknown_years)
    zh = args.lang == "zh"
    if args.format == "json":
        payload: dict = {"issued": args.issued.isoformat(), "filed": args.filed.isoformat() if args.filed else None,
                         "as_of": as_of.isoformat()}
        for name, a in (("filing", filing), ("renewal", renewal)):
            payload |= {f"{name}_due": a.due.isoformat(), f"{name}_status": a.status, f"{name}_days": a.days,
                        f"{name}_reasoning": list(a.period.steps if zh else a.period.steps_en)}
        payload["calendar_unknown_years"] = unknown
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(f"印发日期：{args.issued}" if zh else f"issued: {args.issued}")
    for title, title_en, a in (("备案期限（印发后10日内）", "filing due (10 days)", filing),
                               ("更新期限（每两年）", "renewal due (2 years)", renewal)):
        print(f"{title}：{describe_status(a, args.lang)}" if zh else f"{title_en}: {describe_status(a, args.lang)}")
        for step in (a.period.steps if zh else a.period.steps_en):
            print(f"  - {step}")
    print(("依据：《福建省加强流动儿童关爱保护行动实施方案》四、工作要求；《中华人民共和国民法典》第二百零一条至第二百零三条"
           "（休息日包括周末和法定节假日，调休上班日按工作日计）") if zh else
          "basis: the plan, part IV; Civil Code arts. 201-203 (rest days: weekends and holidays; make-up working days count as working days)")
    if unknown:
        years = "、".join(map(str, unknown))
        print(f"警告 QD409：节假日日历不含 {years} 年，只按周末顺延，未计法定节假日和调休" if zh else
              f"warning QD409: the holiday calendar does not cover {years}; only weekends were skipped")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from compiler import diff_report
    from compiler.diff import diff

    result = diff(args.old, args.new)
    sys.stdout.write(diff_report.to_json(result, args.lang) if args.format == "json" else diff_report.text(result, args.lang))
    return result.exit_code()


def _codes(args: argparse.Namespace) -> int:
    from compiler.codes import CODES, markdown_table

    if args.markdown:
        print(markdown_table())
        return 0
    for c in CODES.values():
        title = c.title_en if args.lang == "en" else c.title
        print(f"{c.code}  {c.severity.key:<7}  {c.name:<22} {title}")
    return 0


def _export_xlsx(args: argparse.Namespace) -> int:
    from compiler import matrix, pipeline, xlsx

    out: Path = args.out
    if out.is_dir():
        raise UsageError(f"输出路径是一个文件夹：{out}", en=f"the output path is a folder: {out}")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件须以 .xlsx 结尾：{out}", en=f"the output file must end in .xlsx: {out}")
    if not out.parent.is_dir():
        raise UsageError(f"输出文件夹不存在：{out.parent}", en=f"the output folder does not exist: {out.parent}")
    result = pipeline.check([args.path], args.as_of or dt.date.today())
    table = matrix.compute(result)
    try:
        xlsx.export(result, table, out, args.lang)
    except OSError as exc:
        raise InputError(f"无法写入 {out}：{exc.strerror or exc}", en=f"cannot write {out}: {exc.strerror or exc}") from None
    zh = args.lang == "zh"
    print(f"已写入 {out}：合规矩阵 {len(table.rows)} 份清单 × {len(table.floor_items)} 个底线服务项，另有 {len(result.lists)} 张清单工作表"
          if zh else f"wrote {out}: matrix of {len(table.rows)} lists x {len(table.floor_items)} floor items, "
          f"and {len(result.lists)} list sheets")
    for bad in result.invalid:
        print(f"注意：{bad.name} 无法读取或格式错误，未列入（用 qingdan check 查看原因）" if zh else
              f"note: {bad.name} is unreadable or malformed and was left out (see qingdan check)", file=sys.stderr)
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from compiler.formats import diagnostic_lines
    from compiler.upgrade import plan

    up = plan(args.file, args.to)
    zh = args.lang == "zh"
    if args.dry_run:
        sys.stdout.write(up.diff())
    else:
        try:
            up.write()
        except OSError as exc:
            raise InputError(f"无法写入 {up.name}：{exc.strerror or exc}；文件未改动",
                             en=f"cannot write {up.name}: {exc.strerror or exc}; the file is unchanged") from None
    state = ("预览，未写入" if args.dry_run else "已写入") if zh else ("dry run, nothing written" if args.dry_run else "written")
    floor, new = up.floor.model.id, up.floor.model.edition
    print(f"{up.name}：底线 {floor} 第 {up.old_edition} 版 → 第 {new} 版（{state}）" if zh else
          f"{up.name}: floor {floor} edition {up.old_edition} -> {new} ({state})")
    if up.findings and args.dry_run:
        print("下面的行列号指升级后的文件。" if zh else "Lines and columns below refer to the upgraded file.")
    documents = {up.name: up.document}
    for d in up.findings:
        print("\n".join(diagnostic_lines(d, documents, args.lang, show_basis=d.show_basis)).rstrip("\n"))
        print()
    items = sum(1 for s in up.skeletons if s.is_item)
    provisions = len(up.skeletons) - items
    errors = sum(1 for d in up.findings if d.severity is Severity.ERROR)
    warnings = sum(1 for d in up.findings if d.severity is Severity.WARNING)
    print(f"新增 {items} 个服务项骨架、{provisions} 条条款骨架（标有 TODO）；按新版底线核查：{errors} 个错误、{warnings} 个警告" if zh else
          f"added {items} item and {provisions} provision skeletons (marked TODO); against the new floor: "
          f"{errors} errors, {warnings} warnings")
    return 1 if errors else 0
def _new(args: argparse.Namespace) -> int:
    from compiler import newlist, pipeline
    from compiler.atomic import write_new
    from compiler.loader import display_name
    from compiler.models import Level

    if not args.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{args.catalogue}", en=f"the catalogue folder does not exist: {args.catalogue}")
    root = pipeline.find_root(args.catalogue)
    request = newlist.Request(args.jurisdiction, args.floor, args.list_id,
                               Level(args.level) if args.level else None, args.out)
    new = newlist.prepare(pipeline.load_corpus(root), root, request, dt.date.today())
    write_new(new.path, new.text)
    name, floor = display_name(new.path), new.floor.model
    items, provisions = sum(1 for _ in floor.items()), sum(1 for _ in floor.provisions())
    if args.lang == "en":
        print(f"wrote {name} (id {new.list_id}, {new.level.value} list, floor {new.floor.key}): {items} services, "
              f"{provisions} provisions, {new.todos} TODO markers to fill in.\n"
              f"next: fill in every TODO, then run: qingdan check {name}")
    else:
        print(f"已生成 {name}（编号 {new.list_id}，{new.level.zh}清单，底线 {new.floor.key}）："
              f"{items} 项服务、{provisions} 条条款，{new.todos} 处待填写（TODO）。\n"
              f"下一步：逐条填写 TODO 并删去标记，然后运行 qingdan check {name}")
    if new.unmapped:
        print(("注意：部门名录中没有这些底线部门的对应部门：" if args.lang == "zh" else
               "note: no local counterpart in the registry for: ") + "、".join(new.unmapped))
    return 0
