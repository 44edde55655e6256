"""What the measures page and the fund pages share: fund names, measure groups, allocation rows.

Everything comes from the extraction layer (``kb.extract_store``: statements, measures and
allocations, each with the character range of its sentence in ``section.text``) and links to
that sentence marked in its passage: ``/passages/<section_id>?s=<start>-<end>#p<block>``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import url_for

from webapp.dutch import nl_money
from webapp.pages.common import SectionCache, marked_passage_url


@lru_cache(maxsize=1)
def fund_config():
    """The fund cues of ``kb/cues/funds.yaml`` (names, and which fund a text names)."""
    from kb.measures import default_fund_config

    return default_fund_config()


def fund_names() -> dict[str, str]:
    """Fund code -> its Dutch name (the first written-out name in kb/cues/funds.yaml)."""
    out = {}
    for code, forms in fund_config().names.items():
        long = [f for f in forms if f != code and not f.isupper() and " " in f]
        out[code] = long[0] if long else code
    return out


def sentence_link(sections: SectionCache, section_id: str, start: int, end: int) -> str:
    """Link to a passage with the sentence ``start-end`` marked (the section itself when empty)."""
    sec = sections[section_id]
    if sec is None:
        return ""
    if end > start:
        return marked_passage_url(sec, start, end)
    return url_for("ui.passage", passage_id=section_id)


def section_path(sec: dict[str, Any] | None) -> list[str]:
    if not sec:
        return []
    return [p for p in (sec.get("path") or [sec.get("title") or ""]) if p]


def measure_groups(rows: list[dict[str, Any]], names: dict[str, str], titles: dict[str, str],
                   sections: SectionCache) -> list[dict[str, Any]]:
    """Measures grouped by fund, then objective; list items nest under their numbered heading."""
    groups: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for m in rows:
        code = m.get("fund") or ""
        fgroup = next((g for g in groups if g["code"] == code), None)
        if fgroup is None:
            fgroup = {"code": code, "name": names.get(code, code) if code else "Zonder fonds", "objectives": [],
                      "count": 0}
            groups.append(fgroup)
        fgroup["count"] += 1
        key = (code, m.get("objective") or "")
        if key not in by_key:
            by_key[key] = {"name": m.get("objective") or "Overig", "items": []}
            fgroup["objectives"].append(by_key[key])
        item = {
            "label": m.get("label") or m.get("text") or "",
            "number": m.get("number"),
            "article": m.get("article_ref") or "",
            "document": titles.get(m["document_id"], m["document_id"]),
            "url": sentence_link(sections, m["section_id"], int(m["start"]), int(m["end"])),
            "children": [],
        }
        parent = by_id.get(m.get("parent_id") or "")
        (parent["children"] if parent else by_key[key]["items"]).append(item)
        by_id[m["id"]] = item
    return groups


def sentence_amounts(sections: SectionCache, section_id: str, start: int, end: int) -> list[str]:
    """The euro amounts the text gives in a sentence (the tagger's MONEY values), in Dutch."""
    amounts = []
    for m in sections.store.mentions(section_id=section_id):
        if m["label"] == "MONEY" and start <= m["start"] and m["end"] <= end:
            text = nl_money(m.get("value"))
            if text and text not in amounts:
                amounts.append(text)
    return amounts


def allocation_rows(allocations: list[dict[str, Any]], names: dict[str, str],
                    sections: SectionCache) -> list[dict[str, Any]]:
    out = []
    for a in allocations:
        out.append({
            "amounts": sentence_amounts(sections, a["section_id"], int(a["start"]), int(a["end"])),
            "fund": a.get("fund") or "",
            "fund_name": names.get(a.get("fund") or "", a.get("fund") or ""),
            "share": a.get("share"),
            "measure": a.get("measure") or "",
            "purpose": a.get("purpose") or a.get("measure") or "",
            "objective": a.get("objective") or "",
            "recipients": a.get("recipients") or [],
            "text": a.get("text") or "",
            "url": sentence_link(sections, a["section_id"], int(a["start"]), int(a["end"])),
        })
    return out
