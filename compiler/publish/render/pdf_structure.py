"""Makes the tagged PDF true to its claim of PDF/A-2a and PDF/UA-1.

WeasyPrint tags each page on its own: a table, section or list that runs over three pages
becomes three structure elements; the page-margin boxes (running headers, page numbers, the
sample notice repeated on each page) are tagged but hang outside the tree; a cell after a merged
cell is told the next column's header; no IDTree lists the ids it sets. This module repairs the
written file with pikepdf:

1. while WeasyPrint builds the tree, each structure element is marked with the HTML element it
   came from (`recording()`); fragments of one element on consecutive pages are merged back into
   one element, so a table is one Table;
2. content no element of the tree owns (margin boxes) and header rows repeated on later pages
   become artifacts (`/Artifact` marked content, out of the parent tree);
3. each data cell gets the ids of its real column headers and row headers, computed on the
   table's grid with row and column spans; header cells get their /Scope;
4. the StructTreeRoot gets an IDTree of every id used;
5. link annotations get a /Contents description; the XMP gets the PDF/UA-1 identification and a
   document id (stable: derived from what the document is, so two renders stay identical).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import TypeGuard

import pikepdf
from pikepdf import Array, ContentStreamInlineImage, ContentStreamInstruction, Dictionary, Name, Object, String

NODE, SCOPE = Name("/QdNode"), Name("/QdScope")  # private marks, removed before saving
CELLS = (Name.TD, Name.TH)
NAMESPACE = uuid.UUID("6f1c2f43-7f2b-4f1e-9a55-51f3a3c1d2e0")  # qingdan's documents


@contextmanager
def recording() -> Iterator[None]:
    """While active, WeasyPrint's structure elements carry the HTML element (and th scope) they come from."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    numbers: dict[int, int] = {}

    def build(box, parent, pdf, page_number, nums, annotations, page_tags):
        for element in original(box, parent, pdf, page_number, nums, annotations, page_tags):
            source = getattr(getattr(box, "_box", box), "element", None)
            if source is not None and "QdNode" not in element:
                element["QdNode"] = numbers.setdefault(id(source), len(numbers))
                if scope := source.attrib.get("scope"):
                    element["QdScope"] = f"/{scope}"
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _kids(element: Dictionary) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _is_element(obj: object) -> TypeGuard[Dictionary]:
    return isinstance(obj, Dictionary) and "/S" in obj


def _content_refs(element: Dictionary) -> list:
    """The element's kids with each bare MCID made a marked-content reference naming its page."""
    out = []
    for kid in _kids(element):
        if isinstance(kid, int) and "/Pg" in element:
            out.append(Dictionary(Type=Name.MCR, Pg=element.Pg, MCID=kid))
        else:
            out.append(kid)
    return out


def _join_adjacent(kids: list, replaced: dict[tuple[int, int], Dictionary]) -> list:
    merged: list = []
    for kid in kids:
        last = merged[-1] if merged else None
        if (_is_element(kid) and _is_element(last) and NODE in kid and kid.get(NODE) == last.get(NODE)
                and kid.S == last.S):
            for grandchild in _kids(kid):
                if _is_element(grandchild):
                    grandchild.P = last
            last.K = Array(_content_refs(last) + _content_refs(kid))
            replaced[kid.objgen] = last
            continue
        merged.append(kid)
    return merged


def _merge_fragments(element: Dictionary, replaced: dict[tuple[int, int], Dictionary],
                     artifacts: set[tuple[int, int]]) -> None:
    """Join consecutive children that are fragments of one HTML element, depth first.

    A table's header row printed again on each later page is a pagination artifact: it is taken
    out first, so the row groups it separated join up. `replaced` records, for each fragment
    merged away, the element that now holds its content.
    """
    merged = _join_adjacent(_kids(element), replaced)
    if element.get("/S") == Name.Table:
        heads = [k for k in merged if _is_element(k) and k.S == Name.THead]
        for head in heads[1:]:
            artifacts.update(_mcids(head))
        repeated = {h.objgen for h in heads[1:]}
        merged = _join_adjacent([k for k in merged if not (_is_element(k) and k.objgen in repeated)], replaced)
    if "/K" in element and isinstance(element.K, Array):
        element.K = Array(merged)
    for kid in merged:
        if _is_element(kid):
            _merge_fragments(kid, replaced, artifacts)


def _repoint_parent_tree(pdf: pikepdf.Pdf, replaced: dict[tuple[int, int], Dictionary]) -> None:
    """Content and annotations of merged-away fragments now belong to the element that absorbed them."""
    def final(owner: Dictionary) -> Dictionary:
        while owner.objgen in replaced:
            owner = replaced[owner.objgen]
        return owner

    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for k in range(1, len(nums), 2):
        value = nums[k]
        if isinstance(value, Array):
            nums[k] = Array([final(o) if isinstance(o, Dictionary) else o for o in value])
        elif isinstance(value, Dictionary):
            nums[k] = final(value)


def _walk(element: Dictionary) -> Iterator[Dictionary]:
    yield element
    for kid in _kids(element):
        if _is_element(kid):
            yield from _walk(kid)


def _mcids(element: Dictionary) -> Iterator[tuple[int, int]]:
    """(page object number, MCID) of every marked-content sequence under `element`."""
    for e in _walk(element):
        for kid in _kids(e):
            if isinstance(kid, int) and "/Pg" in e:
                yield e.Pg.objgen[0], int(kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                yield kid.Pg.objgen[0], int(kid.MCID)


def _rows(table: Dictionary) -> list[tuple[Dictionary, Name]]:
    """The table's rows in order, each with the row group it is in (THead, TBody, TFoot)."""
    rows = []
    for kid in _kids(table):
        if not _is_element(kid):
            continue
        if kid.S == Name.TR:
            rows.append((kid, Name.TBody))
        elif kid.S in (Name.THead, Name.TBody, Name.TFoot):
            group = kid.S
            assert isinstance(group, Name)  # it equals one of three names
            rows += [(r, group) for r in _kids(kid) if _is_element(r) and r.S == Name.TR]
    return rows


def _span(cell: Dictionary, key: str) -> int:
    attributes = cell.get("/A")
    return int(attributes.get(key, 1)) if isinstance(attributes, Dictionary) else 1


def _associate_headers(table: Dictionary, number: int, ids: dict[str, Dictionary]) -> None:
    """Point every TD at the TH cells above it in its columns and before it in its rows."""
    occupied: set[tuple[int, int]] = set()
    placed: list[tuple[Dictionary, int, int, int, int, Name]] = []  # cell, row, col, rowspan, colspan, group
    for r, (row, group) in enumerate(_rows(table)):
        c = 0
        for cell in _kids(row):
            if not _is_element(cell) or cell.S not in CELLS:
                continue
            while (r, c) in occupied:
                c += 1
            rs, cs = _span(cell, "/RowSpan"), _span(cell, "/ColSpan")
            occupied |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            placed.append((cell, r, c, rs, cs, group))
            c += cs
    column_heads: dict[int, list[String]] = {}
    row_heads: dict[int, list[tuple[int, String]]] = {}
    for cell, r, c, rs, cs, group in placed:
        if cell.S != Name.TH:
            continue
        key = f"qd-t{number}-r{r}c{c}"
        cell.ID = String(key)
        ids[key] = cell
        scope = str(cell.get(SCOPE, "/col" if group == Name.THead else "/row"))
        is_row = scope in ("/row", "/rowgroup")
        cell.A = Dictionary({**_cell_attributes(cell), "/Scope": Name.Row if is_row else Name.Column})
        for i in range(rs):
            for j in range(cs):
                if is_row:
                    row_heads.setdefault(r + i, []).append((c, String(key)))
                else:
                    column_heads.setdefault(c + j, []).append(String(key))
    for cell, r, c, rs, cs, _group in placed:
        if cell.S != Name.TD:
            continue
        headers = [h for j in range(cs) for h in column_heads.get(c + j, [])]
        headers += [h for i in range(rs) for col, h in row_heads.get(r + i, []) if col < c and h not in headers]
        cell.A = Dictionary({**_cell_attributes(cell), "/Headers": Array(headers)})


def _cell_attributes(cell: Dictionary) -> dict:
    attributes = cell.get("/A")
    kept = {k: v for k, v in attributes.items() if k in ("/O", "/RowSpan", "/ColSpan")} if isinstance(
        attributes, Dictionary) else {}
    kept.setdefault("/O", Name.Table)
    return kept


def _reachable(root: Dictionary) -> set[tuple[int, int]]:
    return {e.objgen for top in _kids(root) if _is_element(top) for e in _walk(top)}


def _orphans(pdf: pikepdf.Pdf, reachable: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """(page, MCID) of content whose parent-tree entry is outside the structure tree."""
    found = set()
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    pages = {k: page.obj.objgen[0] for k, page in enumerate(pdf.pages)}
    for k in range(0, len(nums), 2):
        index, value = int(nums[k]), nums[k + 1]
        if index in pages and isinstance(value, Array):
            for mcid, owner in enumerate(value):
                if isinstance(owner, Dictionary) and owner.objgen not in reachable:
                    found.add((pages[index], mcid))
    return found


def _to_artifacts(pdf: pikepdf.Pdf, artifacts: set[tuple[int, int]]) -> None:
    """Turn the given marked-content sequences into pagination artifacts and drop them from the parent tree."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for k, page in enumerate(pdf.pages):
        number = page.obj.objgen[0]
        wanted = {mcid for p, mcid in artifacts if p == number}
        if not wanted:
            continue
        instructions: list[ContentStreamInstruction | ContentStreamInlineImage] = []
        for instruction in pikepdf.parse_content_stream(page):
            operands = instruction.operands
            if (str(instruction.operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary)
                    and int(operands[1].get("/MCID", -1)) in wanted):
                instruction = ContentStreamInstruction([Name.Artifact, Dictionary(Type=Name.Pagination)], instruction.operator)
            instructions.append(instruction)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        for j in range(0, len(nums), 2):
            if int(nums[j]) == k:
                entries: list[Object | None] = list(nums[j + 1])
                for mcid in wanted:
                    if mcid < len(entries):
                        entries[mcid] = None
                nums[j + 1] = Array(entries)


def _id_tree(root: Dictionary, ids: dict[str, Dictionary]) -> None:
    for element in _walk(_kids(root)[0]) if _kids(root) else ():
        if "/ID" in element:
            ids.setdefault(str(element.ID), element)
    if ids:
        names = Array()
        for key in sorted(ids, key=lambda k: k.encode("utf-8")):
            names.append(String(key))
            names.append(ids[key])
        root.IDTree = Dictionary(Names=names)


def _describe_links(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != Name.Link or "/Contents" in annotation:
                continue
            action = annotation.get("/A")
            target = str(action.get("/URI")) if isinstance(action, Dictionary) and "/URI" in action else None
            annotation.Contents = String(f"链接：{target}" if target else "跳转到本文件中的相应位置")


def _strip_marks(root: Dictionary) -> None:
    for top in _kids(root):
        if _is_element(top):
            for element in _walk(top):
                for key in (NODE, SCOPE):
                    if key in element:
                        del element[key]


def _metadata(pdf: pikepdf.Pdf, identity: str) -> None:
    document_id = uuid.uuid5(NAMESPACE, identity)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp.register_xml_namespace("http://www.aiim.org/pdfua/ns/id/", "pdfuaid")
        xmp["pdfuaid:part"] = "1"
        xmp["xmpMM:DocumentID"] = f"uuid:{document_id}"
        xmp["xmpMM:InstanceID"] = f"uuid:{document_id}"


def finish(data: bytes, identity: str) -> bytes:
    """The tagged PDF `data` with its structure repaired; `identity` names the document for its id."""
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        assert isinstance(root, Dictionary)  # WeasyPrint's tagged output always has its structure tree
        artifacts: set[tuple[int, int]] = set()
        ids: dict[str, Dictionary] = {}
        replaced: dict[tuple[int, int], Dictionary] = {}
        for top in _kids(root):
            _merge_fragments(top, replaced, artifacts)
        _repoint_parent_tree(pdf, replaced)
        tables = [e for top in _kids(root) if _is_element(top) for e in _walk(top) if e.S == Name.Table]
        for number, table in enumerate(tables, 1):
            _associate_headers(table, number, ids)
        artifacts |= _orphans(pdf, _reachable(root))
        _to_artifacts(pdf, artifacts)
        _id_tree(root, ids)
        _strip_marks(root)
        _describe_links(pdf)
        _metadata(pdf, identity)
        out = BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
