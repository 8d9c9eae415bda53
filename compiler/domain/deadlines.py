"""The filing and renewal deadlines of a list, and where it stands against them on a given day.

Section 四 of the plan: a city list is re-issued every two years and filed with the provincial
civil-affairs department within 10 days of issuing. Which levels these duties bind is a table
here, so a county rule can be added in one line when a plan sets one.

Counties have no rule on purpose. The plan binds the cities (各地市关爱服务清单每两年更新发布一次，
并于制定下发后10日内报送省民政厅备案) and only asks them to guide their counties (指导各县(市、区)
做好贯彻落实); it sets no renewal period and no filing duty for a county list, so none is
invented here: a county list's deadlines are "not applicable". A draft (`draft: true`) is not
issued yet, so no period has started.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from compiler.domain.civil_code import Period, days_after, years_after
from compiler.models.levels import Level

if TYPE_CHECKING:  # `deadlines` does date arithmetic without loading the models
    from compiler.models import Catalogue


@dataclass(frozen=True)
class Rule:
    filing_days: int | None
    renewal_years: int | None


RULES: dict[Level, Rule] = {
    Level.city: Rule(filing_days=10, renewal_years=2),
}


@dataclass(frozen=True)
class Assessment:
    """One deadline: its period, its state on the day asked, and the days involved."""

    period: Period
    status: str  # on_time | late | pending | overdue | due_soon | on_track | superseded
    days: int  # days left, or days late/overdue; 0 where it does not apply

    @property
    def due(self) -> dt.date:
        return self.period.due


@dataclass(frozen=True)
class Deadlines:
    filing: Assessment | None
    renewal: Assessment | None
    filed_before_issued: bool = False


RENEWAL_WARNING_DAYS = 90


def assess(model: Catalogue, as_of: dt.date, newest_edition: int | None = None) -> Deadlines:
    """Both deadlines of `model` as they stand on `as_of`."""
    rule = RULES.get(model.level)
    if rule is None or model.draft:
        return Deadlines(None, None)
    filing = renewal = None
    if rule.filing_days is not None:
        filing = filing_assessment(model.issued, model.filed, as_of, rule.filing_days)
    if rule.renewal_years is not None:
        superseded = newest_edition is not None and newest_edition > model.edition
        renewal = renewal_assessment(model.issued, as_of, rule.renewal_years, superseded)
    early = model.filed is not None and model.filed < model.issued
    return Deadlines(filing, renewal, early)


def filing_assessment(issued: dt.date, filed: dt.date | None, as_of: dt.date, days: int = 10) -> Assessment:
    """The filing deadline: on time or late once filed; pending or overdue until then."""
    period = days_after(issued, days)
    if filed is not None:
        late = (filed - period.due).days
        return Assessment(period, "late", late) if late > 0 else Assessment(period, "on_time", 0)
    left = (period.due - as_of).days
    return Assessment(period, "pending", left) if left >= 0 else Assessment(period, "overdue", -left)


def renewal_assessment(issued: dt.date, as_of: dt.date, years: int = 2, superseded: bool = False) -> Assessment:
    """The renewal deadline: on track, due within 90 days, overdue, or moot once superseded."""
    period = years_after(issued, years)
    if superseded:
        return Assessment(period, "superseded", 0)
    left = (period.due - as_of).days
    if left < 0:
        return Assessment(period, "overdue", -left)
    return Assessment(period, "due_soon" if left <= RENEWAL_WARNING_DAYS else "on_track", left)


STATUS_ZH = {
    "on_time": "按时", "late": "逾期备案", "pending": "待备案", "overdue": "逾期",
    "due_soon": "即将到期", "on_track": "未到期", "superseded": "已被新版取代", None: "不适用",
}
STATUS_EN = {"on_time": "on time", "late": "filed late", "pending": "pending", "overdue": "overdue",
             "due_soon": "due soon", "on_track": "on track", "superseded": "superseded", None: "n/a"}
