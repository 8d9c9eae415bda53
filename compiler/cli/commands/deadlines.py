"""`qingdan deadlines`."""

from __future__ import annotations

import argparse
import json

from compiler.domain import dates
from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.domain.deadlines import RULES, filing_assessment, renewal_assessment
    from compiler.models import Level
    from compiler.output.text import describe_status

    rule = RULES[Level.city]
    as_of = dates.as_of(args.as_of)
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
