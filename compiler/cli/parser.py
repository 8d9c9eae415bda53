"""The whole command line, built for the language asked for: one definition whose strings carry zh and en.

Each command's handler is the module `compiler.cli.commands.<name>` with `run(args) -> int`,
named by `set_defaults(handler=...)` and imported only when that command runs, so that
`qingdan --help` and the small commands never import the heavy renderers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from compiler import __version__
from compiler.domain import dates
from compiler.errors import UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own wording is English-only
        self.print_usage(sys.stderr)
        raise UsageError(f"命令行参数有误：{message}", en=f"invalid command line: {message}")

    def parse_known_args(self, args=None, namespace=None):
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
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的有效日期" if lang == "zh" else
                                             f"'{text}' is not a valid date in the form YYYY-MM-DD") from None
        if not dates.in_range(day):
            raise argparse.ArgumentTypeError(f"日期 {text} 超出可以计算期限的范围（{dates.RANGE_ZH}）" if lang == "zh" else
                                             f"the date {text} is outside the years deadlines can be counted in ({dates.RANGE_EN})")
        return day
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
    # A _Parser only so that the parents= of every sub-parser (typed by parser_class) agree; only its
    # arguments are ever copied, so its own error() and parse_known_args() never run.
    common = _Parser(add_help=False)
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

    p = sub.add_parser("explain", parents=[common], help=_h(
        "显示从清单条文中读出了什么：承诺程度及其依据的词、数字、限定语，以及与底线逐项对照的结果",
        "show what was read in a list's texts: commitment and the words it rests on, numbers, qualifiers, "
        "and the comparison with the floor element by element"))
    p.add_argument("file", help=_h("清单文件，可加行号：文件:行（如 catalogue/cities/fuzhou.yaml:92）",
                                   "a list file, optionally with a line: FILE:LINE (e.g. catalogue/cities/fuzhou.yaml:92)"))
    p.add_argument("--format", choices=["text", "json"], default="text")

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

    p = sub.add_parser("schema", parents=[common], help=_h(
        "输出清单格式的 JSON Schema（供编辑器补全和检查）",
        "print the JSON Schema of the list format (for completion and checking in editors)"))
    p.add_argument("--kind", choices=["catalogue", "review"], default="catalogue",
                   help=_h("哪种文件：catalogue 清单（默认），review 审核记录（catalogue/reviews/）",
                           "which kind of file: catalogue, a list (default); review, a review record (catalogue/reviews/)"))

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
    p = sub.add_parser("review", parents=[common], help=_h(
        "省民政厅审核：记录收文、对偏离的决定、意见和结论（catalogue/reviews/），列出待审队列",
        "the provincial review: record receipt, decisions on deviations, comments and the conclusion "
        "(catalogue/reviews/); list the review queue"))
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--from-xlsx", type=Path, metavar="FILE",
                   help=_h("把审核人员在导出的工作簿“审核意见”表中填写的意见写入审核记录",
                           "carry the notes typed into the exported workbook's review sheet into the review records"))
    p.add_argument("--reviewer", help=_h("审核人（--from-xlsx 时用于未填审核人的行）",
                                         "reviewer (with --from-xlsx: for rows naming none)"))
    p.add_argument("--date", type=_date, default=None, help=_h("日期（默认今天）", "date (default: today)"))
    actions = p.add_subparsers(dest="action", parser_class=_Parser)
    key_help = _h("清单及版本，如 xiamen@1", "list and edition, e.g. xiamen@1")
    place = _Parser(add_help=False, parents=[common])
    # SUPPRESS: an action's own default would override the value given before it (review --catalogue X accept ...)
    place.add_argument("--catalogue", type=Path, default=argparse.SUPPRESS, help=catalogue_help)
    who = _Parser(add_help=False, parents=[place])
    who.add_argument("--reviewer", required=True, help=_h("审核人", "reviewer"))
    who.add_argument("--date", type=_date, default=argparse.SUPPRESS, help=_h("日期（默认今天）", "date (default: today)"))
    q = actions.add_parser("receive", parents=[place], help=_h("记录收到备案材料的日期、备案号和逾期理由",
                                              "record when the filing was received, its number, the reason if late"))
    q.add_argument("key", help=key_help)
    q.add_argument("--date", type=_date, default=argparse.SUPPRESS, help=_h("收文日期（默认今天）", "date received (default: today)"))
    q.add_argument("--number", help=_h("备案号", "filing number"))
    q.add_argument("--late-reason", help=_h("逾期备案的理由", "the reason given for a late filing"))
    for name, zh, en in (("accept", "认可一条偏离", "accept a declared deviation"),
                         ("reject", "不予认可一条偏离", "reject a declared deviation")):
        q = actions.add_parser(name, parents=[who], help=_h(zh, en))
        q.add_argument("key", help=key_help)
        q.add_argument("--where", required=True, help=_h("偏离所指的底线编号，如 s01", "the floor id the deviation names, e.g. s01"))
        q.add_argument("--check", required=True, help=_h("偏离的核查项，如 responsibility", "the check it departs from, e.g. responsibility"))
        q.add_argument("--reason", required=True, help=_h("理由", "reason"))
    q = actions.add_parser("comment", parents=[who], help=_h("对服务项或条款提出意见", "comment on an item or provision"))
    q.add_argument("key", help=key_help)
    q.add_argument("--where", required=True, help=_h("服务项或条款编号，如 s07-2", "item or provision id, e.g. s07-2"))
    q.add_argument("--text", required=True, help=_h("意见", "the comment"))
    q = actions.add_parser("sign-off", parents=[who], help=_h("同意备案（记录清单当前内容的摘要）",
                                                              "approve the filing (recording the list's digest)"))
    q.add_argument("key", help=key_help)
    q = actions.add_parser("return", parents=[who], help=_h("退回修改，写明须改正之处",
                                                            "send back for correction, saying what to correct"))
    q.add_argument("key", help=key_help)
    q.add_argument("--correction", action="append", required=True,
                   help=_h("须改正之处（可写多次）", "what must be corrected (may be given more than once)"))
    q = actions.add_parser("queue", parents=[place], help=_h("待审队列：已备案、尚未作出结论的清单，最早备案的在前",
                                            "the queue: filed lists without a conclusion, oldest filing first"))
    q.add_argument("--as-of", type=_date, default=None, help=as_of_help)
    q.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("receipt", parents=[common], help=_h(
        "生成备案回执（PDF 和 Word），公文格式", "make the filing receipt (PDF and Word) in official-document form"))
    p.add_argument("key", help=_h("清单及版本，如 xiamen@1", "list and edition, e.g. xiamen@1"))
    p.add_argument("--catalogue", type=Path, default=Path("catalogue"), help=catalogue_help)
    p.add_argument("--out", type=Path, default=Path("."),
                   help=_h("输出目录（默认当前目录）：写入 回执-清单@版本.pdf 和 .docx",
                           "output folder (default: here): writes receipt-LIST@EDITION .pdf and .docx"))
    p.add_argument("--as-of", type=_date, default=None, help=as_of_help)

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
    for name, command in sub.choices.items():  # the handler is compiler.cli.commands.<name>
        command.set_defaults(handler=name)
    return parser
