"""What a reading of a text is made of. Every finding keeps its span (start, end) in the input."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Trigger:
    """Words that set the firmness of a duty: a hedge, a duty modal (可), a negation."""

    word: str
    span: Span
    rank: int  # 3 保障, 2 有条件, 1 鼓励, 0 不提供
    kind: str  # hedge | modal | negation
    note: str = ""


@dataclass(frozen=True)
class Partial:
    """A partial duty: 减免 where a floor may say 免除, 部分, 适当."""

    word: str
    span: Span
    full: tuple[str, ...]  # the full-duty words this is weaker than (empty: weaker than any text lacking it)
    note: str = ""


@dataclass(frozen=True)
class Number:
    """A number read with its unit. `low` is set for ranges (0-6岁)."""

    value: float
    unit: str  # 岁, 年, 次, 元, 周, 级 ...
    kind: str  # age | years | frequency | amount | duration | grade | count
    direction: str  # exact | range | upper | lower | at_least | at_most
    span: Span
    low: float | None = None
    per: str | None = None  # the period of a frequency or amount (月, 季度, 年)
    per_year: float | None = None  # a frequency as times (or units) per year

    @property
    def text_value(self) -> str:
        v = self.value
        return str(int(v)) if float(v).is_integer() else str(v)


@dataclass(frozen=True)
class Qualifier:
    """Words that narrow who gets a service (本市户籍, 持有居住证满N年, 仅限, 首次, 一级、二级)."""

    kind: str
    word: str
    span: Span
    note: str = ""


@dataclass(frozen=True)
class ConditionMention:
    """A condition on the child named in the text (残疾, 家庭经济困难 ...), by its controlled name."""

    name: str
    word: str
    span: Span
    narrows: bool


@dataclass(frozen=True)
class ProvisionReading:
    """What one provision's text says about the government's duty."""

    text: str
    rank: int
    trigger: Trigger | None  # the weakest trigger, which sets `rank`; None: a plain duty (保障)
    triggers: tuple[Trigger, ...] = ()
    entitlements: tuple[Span, ...] = ()  # 可 read as the child's entitlement, not a hedge
    partial: tuple[Partial, ...] = ()
    numbers: tuple[Number, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()
    conditions: tuple[ConditionMention, ...] = ()

    @property
    def level(self) -> str:
        """The commitment as a list writes it: 保障 / 有条件 / 鼓励 / 不提供."""
        from compiler.text.vocab import LEVELS

        return LEVELS[self.rank]

    def ages(self) -> tuple[Number, ...]:
        return tuple(n for n in self.numbers if n.kind == "age")


@dataclass(frozen=True)
class TargetReading:
    """What a 服务对象 text says about who is served."""

    text: str
    age_min: int | None
    age_max: int | None  # None: no upper bound written
    age_span: Span | None
    conditions: tuple[ConditionMention, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()
    numbers: tuple[Number, ...] = ()


@dataclass(frozen=True)
class Element:
    """One element of a floor duty: its core, or one item of an enumeration (提供A、B、C)."""

    name: str
    span: Span  # in the floor text
    kind: str  # core | item
    alias: tuple[str, ...] = field(default=())  # a bracketed alternative name: 青少年宫(青少年活动中心)
