"""Open data: every published list as JSON, with its floor references resolved.

The shape is documented in the README ("开放数据"); `FORMAT` names it so readers can tell
versions apart. Keys and order are stable, so two builds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

from compiler.publish.views import DeadlineView, ItemView, ListView, ProvisionView

FORMAT = "qingdan-list/1"
INDEX_FORMAT = "qingdan-index/1"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _deadline(d: DeadlineView | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"due": d.due.isoformat(), "status": d.status, "days": d.days, "reasoning": list(d.reasoning)}


def _provision(p: ProvisionView) -> dict[str, Any]:
    return {
        "id": p.id, "text": p.text, "commitment": p.commitment, "plain": p.plain, "local": p.local,
        "standards": [asdict(s) for s in p.standards],
        "fulfils": [{"list": f.list_key, "item": f.item_id, "provision": f.id, "text": f.text,
                     "commitment": f.commitment} for f in p.fulfils],
    }


def _item(item: ItemView) -> dict[str, Any]:
    access = None
    if item.access is not None:
        a = item.access
        access = {"office": a.office, "where": a.where, "hours": a.hours, "phone": a.phone, "steps": list(a.steps),
                  "materials": list(a.materials), "fees": a.fees, "duration": a.duration, "url": a.url}
    return {
        "id": item.id, "number": item.number, "service": item.service,
        "target": {"text": item.target, "age": {"min": item.age_min, "max": item.age_max} if item.age else None,
                   "conditions": list(item.conditions), "any_of": list(item.any_of)},
        "plain": item.plain if item.plain_source is None else None, "local": item.local,
        "departments": [{"id": d.id, "name": d.name} for d in item.departments],
        "access": access,
        "provisions": [_provision(p) for p in item.provisions],
    }


def list_document(view: ListView) -> dict[str, Any]:
    """One list as open data."""
    return {
        "format": FORMAT,
        "id": view.id, "edition": view.edition, "level": view.level, "jurisdiction": view.jurisdiction,
        "title": view.title, "issuer": view.issuer, "document_number": view.document_number,
        "issued": _date(view.issued), "filed": _date(view.filed), "sample": view.sample,
        "floor": {"list": view.floor.id, "edition": view.floor.edition, "title": view.floor.title} if view.floor else None,
        "compliance": {"compliant": view.compliant, "errors": view.errors, "warnings": view.warnings},
        "deadlines": {"filing": _deadline(view.filing), "renewal": _deadline(view.renewal)},
        "groups": [{"name": g.name, "items": [_item(i) for i in g.items]} for g in view.groups],
    }


def index_document(views: list[ListView], as_of: dt.date) -> dict[str, Any]:
    """The catalogue of published lists, with where each one's data, page and PDF are."""
    return {
        "format": INDEX_FORMAT,
        "as_of": as_of.isoformat(),
        "lists": [
            {"id": v.id, "edition": v.edition, "level": v.level, "jurisdiction": v.jurisdiction, "title": v.title,
             "sample": v.sample, "issued": _date(v.issued), "floor": v.floor.key if v.floor else None,
             "compliant": v.compliant, "data": v.data, "page": f"lists/{v.slug}/", "pdf": v.pdf}
            for v in views
        ],
    }


def dumps(document: dict[str, Any], *, compact: bool = False) -> str:
    """`document` as JSON; a non-finite number raises (NaN and Infinity are not JSON), and the
    build then leaves that list out rather than publish a file no reader can parse. `compact`: no
    spaces, for the files a family's phone downloads (and the standard library's fast encoder)."""
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
