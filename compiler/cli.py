"""The `qingdan` command: parse arguments, run a pipeline, print, choose the exit status.

This is the only module that prints. Exit status: 0 no error-level finding, 1 at least one,
2 a usage error or unreadable input. A bug in qingdan itself prints a short message, not a
traceback (set QINGDAN_DEBUG=1 to see it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from compiler import __version__
from compiler.diagnostics import Severity
from compiler.errors import QingdanError, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own wording is English-only
        self.print_usage(sys.stderr)
        raise UsageError(f"命令行参数有误：{message}")

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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的有效日期") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="qingdan", description="清单：流动儿童关爱服务清单的编译、核查与发布工具")
    parser.add_argument("--version", action="version", version=f"qingdan {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default="zh", help="输出语言（默认中文）")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("check", parents=[common], help="核查清单：结构、底线、期限")
    p.add_argument("paths", nargs="*", type=Path, help="清单文件或目录（默认 catalogue/）")
    p.add_argument("--as-of", type=_date, default=None, help="按哪一天计算期限（默认今天）")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--min-severity", choices=["info", "warning", "error"], default="info",
                   help="只显示不低于该级别的诊断（默认全部）")

    p = sub.add_parser("deadlines", parents=[common], help="计算备案期限和更新期限")
    p.add_argument("--issued", type=_date, required=True, help="印发日期")
    p.add_argument("--filed", type=_date, help="备案日期")
    p.add_argument("--as-of", type=_date, default=None, help="按哪一天判断状态（默认今天）")
    p.add_argument("--format", choices=["text", "json"], default="text")

    sub.add_parser("schema", parents=[common], help="输出清单格式的 JSON Schema（供编辑器补全和检查）")

    p = sub.add_parser("codes", parents=[common], help="列出全部诊断代码")
    p.add_argument("--markdown", action="store_true", help="输出 README 用的 Markdown 表格")

    p = sub.add_parser("new", parents=[common], help="依据底线清单生成一份新清单（草稿）")
    p.add_argument("jurisdiction", help="辖区名称，如 漳平市、闽侯县")
    p.add_argument("catalogue", nargs="?", type=Path, default=Path("catalogue"), help="清单目录（默认 catalogue/）")
    p.add_argument("--floor", required=True, help="底线清单及版本，如 fujian@1")
    p.add_argument("--id", dest="list_id", help="清单编号（默认由辖区名称的拼音生成）")
    p.add_argument("--level", choices=["city", "county"], help="层级（默认为底线的下一级）")
    p.add_argument("--out", type=Path, help="写到哪个文件（默认 清单目录/cities 或 counties/编号.yaml）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except QingdanError as exc:
        print(f"qingdan: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("qingdan: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("QINGDAN_DEBUG"):
            traceback.print_exc()
        print(f"qingdan: 内部错误（{type(exc).__name__}: {exc}）。这是 qingdan 的缺陷，不是清单的问题；"
              "设置 QINGDAN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 3


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "deadlines":
        return _deadlines(args)
    if args.command == "codes":
        return _codes(args)
    if args.command == "new":
        return _new(args)
    if args.command == "schema":
        from compiler.schema import catalogue_schema

        print(json.dumps(catalogue_schema(), ensure_ascii=False, indent=2))
        return 0
    raise UsageError(f"未知命令 {args.command}")  # pragma: no cover - argparse rejects it first


def _check(args: argparse.Namespace) -> int:
    from compiler import formats, pipeline

    paths = args.paths or [Path("catalogue")]
    result = pipeline.check(paths, args.as_of or dt.date.today())
    severity = Severity.parse(args.min_severity)
    out = formats.to_json(result, args.lang, severity) if args.format == "json" else formats.text(result, args.lang, severity)
    sys.stdout.write(out)
    return result.exit_code()


def _deadlines(args: argparse.Namespace) -> int:
    from compiler.deadlines import RULES, filing_assessment, renewal_assessment
    from compiler.formats import describe_status
    from compiler.models import Level

    rule = RULES[Level.city]
    as_of = args.as_of or dt.date.today()
    if args.filed and args.filed < args.issued:
        raise UsageError(f"备案日期 {args.filed} 早于印发日期 {args.issued}")
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


def _codes(args: argparse.Namespace) -> int:
    from compiler.codes import CODES, markdown_table

    if args.markdown:
        print(markdown_table())
        return 0
    for c in CODES.values():
        title = c.title_en if args.lang == "en" else c.title
        print(f"{c.code}  {c.severity.key:<7}  {c.name:<22} {title}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from compiler import newlist, pipeline
    from compiler.atomic import write_new
    from compiler.loader import display_name
    from compiler.models import Level

    if not args.catalogue.is_dir():
        raise UsageError(f"清单目录不存在：{args.catalogue}")
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
