"""Writes a synthetic national catalogue for the benchmarks: one national list, the provinces,
their cities and their counties, each on its floor chain (county → city → province → national).

Every list is built from the real provincial list (catalogue/province/fujian.yaml): the same
groups, items, provisions and standards, so each is about the size of a real one. Ids, names,
dates, contacts and some wording vary, from a seed, so two runs write the same files. The
departments registry is made from the bundled one: one department per function at each level.
Everything is marked `sample: true`.

A few deliberate findings keep the corpus honest: one county in about a hundred leaves a floor
provision uncovered (QD301) and one city in about forty filed late (QD402). No reference is
broken: the corpus checks without any QD2xx finding.

    python bench/generate.py --out /tmp/national            # 31 / 333 / 2,846 lists
    python bench/generate.py --out /tmp/tiny --provinces 1 --cities 2 --counties 3
    python bench/generate.py --out /tmp/double --scale 2                # 62 / 666 / 5,692 lists
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compiler.authoring.new_list import derive_id  # noqa: E402
from compiler.models import Level  # noqa: E402
from compiler.source.loader import load  # noqa: E402  (after the path: the script runs from anywhere)

TEMPLATE = ROOT / "catalogue" / "province" / "fujian.yaml"
REGISTRY = ROOT / "catalogue" / "departments.yaml"

PROVINCES = 31
CITIES = 333  # prefecture-level divisions
COUNTIES = 2846  # county-level divisions

PROVINCE_NAMES = (
    "北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 "
    "湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区"
).split()
# Place names are made of these (none is a real city's or county's name except by chance).
_SYLLABLES = "安宁平和丰泰兴华永昌德化清远长乐福山江河阳东西南北新临松柏云龙凤溪源川湖海岭峰桥湾林泉石田城陵"

_MISSES_BEFORE_LONGER = 64

# Ids and wording per level: item and provision ids start with the level's letter, so a
# list's `covers` always name ids of the list above it.
_PREFIX = {Level.national: "n", Level.province: "p", Level.city: "c", Level.county: "x"}
_DEPT_WORD = {Level.national: "国家", Level.province: "省级", Level.city: "市级", Level.county: "县级"}
_DEPT_NAME = {Level.national: "国务院{f}主管部门", Level.province: "省（自治区、直辖市）{f}主管部门",
              Level.city: "地级市（州、盟）{f}主管部门", Level.county: "县（市、区、旗）{f}主管部门"}
_FOLDER = {Level.national: "national", Level.province: "provinces", Level.city: "cities", Level.county: "counties"}

_HEADER = "# 【示例数据】合成的全国规模基准语料（bench/generate.py 生成），不是真实政策。\n"


@dataclass
class Jurisdiction:
    """One list to write: where it sits in the tree and what it is called."""

    id: str
    name: str
    level: Level
    floor: Jurisdiction | None
    folder: str  # relative to the output folder
    issued: dt.date
    index: int  # its place among the lists of its level, for the deliberate findings


def _template() -> dict[str, Any]:
    doc, problems = load(TEMPLATE, TEMPLATE.name)
    if doc is None:
        raise SystemExit(f"cannot read the template {TEMPLATE}: {problems}")
    return doc.data


def _functions() -> tuple[list[str], dict[str, str]]:
    """Every function in the bundled registry, and the function of each department id."""
    doc, problems = load(REGISTRY, REGISTRY.name)
    if doc is None:
        raise SystemExit(f"cannot read the registry {REGISTRY}: {problems}")
    functions: list[str] = []
    of: dict[str, str] = {}
    for dept in doc.data["departments"]:
        for f in dept["functions"]:
            if f not in functions:
                functions.append(f)
        of[dept["id"]] = dept["functions"][0]
    return functions, of


def department_id(function: str, level: Level) -> str:
    return f"{_DEPT_WORD[level]}{function}部门"


def registry(functions: list[str]) -> dict[str, Any]:
    """One department per function and level, so every list's duties have a counterpart below."""
    return {"departments": [{"id": department_id(f, level), "name": _DEPT_NAME[level].format(f=f),
                             "level": level.value, "functions": [f]} for level in Level for f in functions]}


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` shared among `parts`, each at least one, unevenly as real divisions are."""
    if parts <= 0:
        return []
    if total < parts:
        raise SystemExit(f"need at least one list per parent: {total} < {parts}")
    shares = [1] * parts
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    for _ in range(total - parts):
        shares[rng.choices(range(parts), weights)[0]] += 1
    return shares


class _Names:
    """Unique place names and list ids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.ids: set[str] = set()

    def place(self, suffix: str) -> str:
        # Two syllables give about 2,000 names per suffix, enough for one national corpus; once
        # they run short (a run of misses), names take three, so a 4x corpus is written too.
        misses = 0
        while True:
            length = 2 if misses < _MISSES_BEFORE_LONGER else 3
            name = "".join(self.rng.sample(_SYLLABLES, length)) + suffix
            if name not in self.names:
                self.names.add(name)
                return name
            misses += 1

    def list_id(self, name: str) -> str:
        base = derive_id(name) or "list"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate


def jurisdictions(provinces: int, cities: int, counties: int, seed: int) -> list[Jurisdiction]:
    """The tree of lists, national first, each level in order."""
    rng = random.Random(seed)
    names = _Names(rng)
    national = Jurisdiction("china", "全国", Level.national, None, "national", dt.date(2024, 12, 1), 0)
    names.ids.add(national.id)
    tree = [national]
    province_list = []
    for k in range(provinces):
        name = PROVINCE_NAMES[k] if k < len(PROVINCE_NAMES) else names.place("省")
        names.names.add(name)
        pid = names.list_id(name)
        issued = national.issued + dt.timedelta(days=rng.randint(20, 60))
        province_list.append(Jurisdiction(pid, name, Level.province, national, "provinces", issued, k))
    city_list = []
    for province, share in zip(province_list, _split(cities, provinces, rng)):
        for _ in range(share):
            name = names.place("市")
            issued = province.issued + dt.timedelta(days=rng.randint(20, 90))
            city_list.append(Jurisdiction(names.list_id(name), name, Level.city, province,
                                          f"cities/{province.id}", issued, len(city_list)))
    county_list = []
    for city, share in zip(city_list, _split(counties, cities, rng)):
        for _ in range(share):
            name = names.place(rng.choice("县县县区市"))
            issued = city.issued + dt.timedelta(days=rng.randint(10, 60))
            county_list.append(Jurisdiction(names.list_id(name), name, Level.county, city,
                                            f"counties/{city.floor.id}/{city.id}", issued, len(county_list)))
    return tree + province_list + city_list + county_list


def _local_id(template_id: str, level: Level) -> str:
    return _PREFIX[level] + template_id[1:]  # s01-2 → c01-2


def _item(item: dict[str, Any], place: Jurisdiction, dept_function: dict[str, str], rng: random.Random) -> dict[str, Any]:
    level = place.level
    target = {k: v for k, v in item["target"].items() if k != "merged_with_row"}
    out: dict[str, Any] = {"id": _local_id(item["id"], level)}
    if level is Level.national and "row" in item:
        out["row"] = item["row"]
    out |= {"target": target, "service": item["service"]}
    if "plain" in item:
        out["plain"] = item["plain"] if level is Level.national else f"在{place.name}，{item['plain']}"
    provisions = []
    for prov in item["provisions"]:
        p = {"id": _local_id(prov["id"], level),
             # Some lists name themselves in a provision: each list's wording differs a little.
             "text": prov["text"] if rng.random() < 0.7 else f"{place.name}{prov['text']}",
             "commitment": prov["commitment"]}
        if prov.get("standards"):
            p["standards"] = prov["standards"]
        if place.floor is not None:
            p["covers"] = [_local_id(prov["id"], place.floor.level)]
        provisions.append(p)
    out["provisions"] = provisions
    out["departments"] = list(dict.fromkeys(department_id(dept_function[d], level) for d in item["departments"]))
    if level is not Level.national:
        out["access"] = {"where": f"{place.name}{rng.choice(['政务服务中心', '民政局服务窗口', '各乡镇（街道）便民服务中心'])}",
                         "phone": f"0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}",
                         "materials": rng.sample(["居住证或居住登记凭证", "儿童出生医学证明", "户口簿", "监护人身份证件",
                                                  "预防接种证", "学籍证明"], 3)}
    return out


def list_data(place: Jurisdiction, template: dict[str, Any], dept_function: dict[str, str], seed: int) -> dict[str, Any]:
    """One list's content: the template's services, on `place`'s floor, in `place`'s words."""
    rng = random.Random(f"{seed}:{place.id}")
    data: dict[str, Any] = {
        "id": place.id, "level": place.level.value, "jurisdiction": place.name,
        "title": f"{place.name}流动儿童在居住地享有关爱服务清单（示例）", "edition": 1, "issued": place.issued,
    }
    if place.level is Level.city:
        late = place.index % 41 == 7  # deliberate: filed after the 10-day period (QD402)
        data["filed"] = place.issued + dt.timedelta(days=rng.randint(20, 30) if late else rng.randint(2, 8))
    data |= {"issuer": f"{place.name}民政部门等部门（示例）", "sample": True}
    if place.floor is not None:
        data["floor"] = {"list": place.floor.id, "edition": 1}
    if place.level in (Level.national, Level.province):
        plan = dict(template["plan"])
        plan["title"] = f"{place.name}加强流动儿童关爱保护行动方案（示例）"
        plan["issuing_departments"] = [f"{place.name}{d[3:]}" for d in plan.get("issuing_departments", [])]
        data["plan"] = plan
    data["contact"] = {"department": f"{place.name}民政部门", "phone": f"0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}"}
    groups = [{"name": g["name"], "items": [_item(i, place, dept_function, rng) for i in g["items"]]}
              for g in template["groups"]]
    if place.level is Level.county and place.index % 97 == 13:
        # deliberate: one floor provision left uncovered (QD301); the provision stays, as a local addition
        groups[-1]["items"][-1]["provisions"][-1].pop("covers", None)
    data["groups"] = groups
    return data


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}\n]*(?<=\S)")
_LOOKS_TYPED = re.compile(r"[-+.\d_:eE]+|true|false|null|~|yes|no|on|off|y|n", re.IGNORECASE)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return str(value)
    if _PLAIN.fullmatch(value) and not _LOOKS_TYPED.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_scalar(v) for v in value) + "]"


def _leaf(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return not any(isinstance(v, (dict, list)) for v in items)


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """Block style, with collections of plain values written inline as people write them
    (ruamel's emitter does the same at about twenty times the cost)."""
    if isinstance(value, dict):
        for k, v in value.items():
            _entry(f"{indent}{k}:", v, indent + "  ", out)
    else:
        for v in value:
            if isinstance(v, dict) and v and not _leaf(v):
                first, *rest = v.items()
                _entry(f"{indent}- {first[0]}:", first[1], indent + "    ", out)
                for k, w in rest:
                    _entry(f"{indent}  {k}:", w, indent + "    ", out)
            else:
                _entry(f"{indent}-", v, indent + "  ", out)


def _entry(head: str, value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, (dict, list)) and value and not _leaf(value):
        out.append(head)
        _emit(value, indent, out)
    elif isinstance(value, (dict, list)):
        out.append(f"{head} {_flow(value)}")
    else:
        out.append(f"{head} {_scalar(value)}")


def dumps(data: dict[str, Any]) -> str:
    """A list or registry as YAML text, with the corpus' header comment."""
    out: list[str] = []
    _emit(data, "", out)
    return _HEADER + "\n".join(out) + "\n"


def generate(out: Path, provinces: int = PROVINCES, cities: int = CITIES, counties: int = COUNTIES, seed: int = 1) -> int:
    """Write the corpus into `out` (which must be empty or absent); returns the number of lists."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    template = _template()
    functions, dept_function = _functions()
    out.mkdir(parents=True, exist_ok=True)
    (out / "departments.yaml").write_text(dumps(registry(functions)), encoding="utf-8")
    places = jurisdictions(provinces, cities, counties, seed)
    for place in places:
        folder = out / place.folder
        folder.mkdir(parents=True, exist_ok=True)
        text = dumps(list_data(place, template, dept_function, seed))
        (folder / f"{place.id}.yaml").write_text(text, encoding="utf-8")
    return len(places)


def scaled(factor: float) -> tuple[int, int, int]:
    """Provinces, cities and counties of `factor` national corpora (at least one of each)."""
    return tuple(max(1, round(n * factor)) for n in (PROVINCES, CITIES, COUNTIES))  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder to write (default: a new temporary folder)")
    parser.add_argument("--provinces", type=int, default=PROVINCES)
    parser.add_argument("--cities", type=int, default=CITIES)
    parser.add_argument("--counties", type=int, default=COUNTIES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, help="this many national corpora (0.25, 2, 4 ...): scales all three counts")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="qingdan-national-"))
    counts = scaled(args.scale) if args.scale else (args.provinces, args.cities, args.counties)
    count = generate(out, *counts, seed=args.seed)
    print(f"{count} lists in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
