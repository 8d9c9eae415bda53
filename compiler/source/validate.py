"""Runs the pydantic models over loaded documents and maps each error back to its YAML position."""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compiler.diagnostics import Diagnostic
from compiler.source.loader import Document

M = TypeVar("M", bound=BaseModel)

_PROBLEMS: dict[str, tuple[str, str]] = {
    "string_type": ("应是文字", "一般写成文字即可；纯数字的电话或编号请加引号。"),
    "int_type": ("应是整数", "写成阿拉伯数字，如 1。"),
    "int_parsing": ("应是整数", "写成阿拉伯数字，如 1（不用全角数字或汉字）。"),
    "int_from_float": ("应是整数", "去掉小数部分。"),
    "float_type": ("应是数字", "写成阿拉伯数字。"),
    "float_parsing": ("应是数字", "写成阿拉伯数字。"),
    "finite_number": ("应是有限的数", "不能写 .inf、.nan 或超出范围的数，写具体的数值。"),
    "bool_type": ("应是 true 或 false", "写 true 或 false。"),
    "bool_parsing": ("应是 true 或 false", "写 true 或 false。"),
    "list_type": ("应是列表", "写成“- 项目”的列表，或 [甲, 乙]。"),
    "dict_type": ("应是字段映射", "写成“键: 值”的形式。"),
    "model_type": ("应是字段映射", "写成“键: 值”的形式。"),
    "model_attributes_type": ("应是字段映射", "写成“键: 值”的形式。"),
    "enum": ("不是允许的取值", "可用的取值：{expected}。"),
    "string_pattern_mismatch": ("格式不对", "只用小写字母、数字和连字符（条款编号可用大写字母和下划线）。"),
    "string_too_short": ("不能为空", "填写内容，或删去这个字段。"),
    "too_short": ("至少要有 {min_length} 项", "补上内容。"),
    "greater_than_equal": ("不能小于 {ge}", "改为不小于 {ge} 的数。"),
    "less_than_equal": ("不能大于 {le}", "改为不大于 {le} 的数。"),
    "url_parsing": ("不是有效的网址", "写完整网址，如 https://mzj.example.gov.cn/。"),
    "url_scheme": ("网址应以 http:// 或 https:// 开头", "写完整网址。"),
    "value_error": ("{msg}", "按提示修改。"),
}


def validate(doc: Document, model: type[M], data: Any | None = None) -> tuple[M | None, list[Diagnostic]]:
    """Validate `doc.data` (or `data`) against `model`; diagnostics point at the YAML."""
    try:
        return model.model_validate(doc.data if data is None else data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    found = [_diagnostic(doc, model, err) for err in errors if err["type"] != "missing"]
    # A misspelt key already says "did you mean title?": do not also say that the same
    # mapping's title is missing.
    suggested = {(tuple(d.args["parent"]), d.args["suggested"]) for d in found if d.code in ("QD103", "QD115")}
    missing: dict[tuple, list[str]] = {}
    for err in errors:
        if err["type"] == "missing":
            path = _data_path(tuple(err["loc"]), doc.data)
            if (path[:-1], str(path[-1])) not in suggested:
                missing.setdefault(path[:-1], []).append(str(path[-1]))
    for parent, names in missing.items():  # one diagnostic per mapping, naming every missing field
        found.append(Diagnostic("QD105", doc.at(parent), {"field": "、".join(names)}))
    return None, found


def _diagnostic(doc: Document, model: type[BaseModel], err: ErrorDetails) -> Diagnostic:
    loc = tuple(err["loc"])
    path = _data_path(loc, doc.data)
    kind = err["type"]
    field = _field_name(path)
    from compiler.source.forgiving import field_mistake  # hand-written lists' common mistakes, explained

    mistake = field_mistake(doc, err, path, lambda at: _allowed(model, at, doc.data))
    if mistake is not None:
        return mistake
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _allowed(model, path[:-1], doc.data)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        return Diagnostic("QD103", doc.key_at(path), {
            "key": key,
            "suggestion": f"，你是不是想写“{close[0]}”？" if close else "",
            "suggestion_en": f"; did you mean '{close[0]}'?" if close else "",
            "allowed": "、".join(allowed) or "（无）",
            "suggested": close[0] if close else "",
            "parent": list(path[:-1]),
        })
    if kind.startswith("date") or kind.startswith("datetime"):
        return Diagnostic("QD106", doc.at(path), {"field": field, "value": _short(err.get("input"))})
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic lists choices as "'a', 'b' or 'c'"
        ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", "、").replace(", ", "、")
    if kind == "value_error":
        ctx["msg"] = str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    problem, fix = _PROBLEMS.get(kind, (err["msg"], "按 README 中的清单格式修改。"))
    problem = problem.format_map(_Safe(ctx))
    fix = fix.format_map(_Safe(ctx))
    value = _short(err.get("input"))
    if value and kind not in ("missing", "too_short"):
        problem = f"{problem}（实际是“{value}”）"
    return Diagnostic("QD104", doc.at(path), {
        "field": field, "problem": problem, "problem_en": f"{err['msg']} (got {value!r})",
        "fix": fix, "fix_en": "see the list format in the README.",
    })


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _short(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, (dict, list)):
        return ""
    # Control characters (a NUL from "\0") are shown escaped: raw, they would garble the terminal.
    text = "".join(f"\\u{ord(ch):04X}" if unicodedata.category(ch) == "Cc" else ch for ch in str(value))
    return text if len(text) <= 40 else text[:39] + "…"


def _field_name(path: tuple) -> str:
    names = [str(p) for p in path if isinstance(p, str)]
    return ".".join(names[-2:]) if names else "（顶层）"


def _data_path(loc: tuple, data: Any) -> tuple:
    """Pydantic adds union and enum tags to `loc`; keep only the steps that exist in the data."""
    path: list = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            path.append(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            path.append(step)
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str) and not _is_tag(step):
            path.append(step)  # a missing or unknown key: its name is still the right last step
            node = None
    return tuple(path)


def _is_tag(step: str) -> bool:
    return step in {"int", "float", "str", "bool", "none", "function-after", "function-before", "lax-or-strict"} or "[" in step


def _allowed(model: type[BaseModel], path: tuple, data: Any) -> list[str]:
    """The field names allowed at `path`, found by walking the model along the data path."""
    current: Any = model
    for step in path:
        if isinstance(step, int):
            continue
        fields = getattr(current, "model_fields", {})
        if step not in fields:
            return []
        current = _model_of(fields[step].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}).keys())


def _model_of(annotation: Any) -> type[BaseModel] | None:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found:
            return found
    return None
