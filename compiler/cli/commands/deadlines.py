"""`qingdan deadlines`."""

from __future__ import annotations

import argparse
import sys

from compiler.domain import dates
from compiler.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from compiler.domain.deadlines import RULES, filing_assessment, renewal_assessment
    from compiler.models.levels import Level
    from compiler.output.deadline_text import deadlines_json, deadlines_text

    rule = RULES[Level.city]
    as_of = dates.as_of(args.as_of)
    if args.filed and args.filed < args.issued:
        raise UsageError(f"备案日期 {args.filed} 早于印发日期 {args.issued}",
                         en=f"the filing date {args.filed} is before the issue date {args.issued}")
    periods = {"filing": filing_assessment(args.issued, args.filed, as_of, rule.filing_days or 10),
               "renewal": renewal_assessment(args.issued, as_of, rule.renewal_years or 2)}
    if args.format == "json":
        sys.stdout.write(deadlines_json(args.issued, args.filed, as_of, periods, args.lang))
    else:
        sys.stdout.write(deadlines_text(args.issued, periods, rule, args.lang))
    return 0
