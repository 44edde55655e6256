"""Indicative budget allocations of a fund plan, as records linked to their source sentence.

An allocation is a percentage of a fund's means given to a measure or objective:

* "zijn we voornemens om 67,5% van de BMVI middelen te alloceren" (fund named after "van de");
* "38% van AMF voor organisaties met een de jure monopolie positie (20% COA / 18% IND)" (the
  percentages in the parentheses are *recipients* of the 38%, not allocations of their own);
* a percentage in a sentence with an allocation verb ("alloceren", "toewijzen", ...) or in a
  section titled "Allocatie middelen ..." whose fund follows from the text or the section's fund
  context.

Percentages without such a cue are no allocation: "90% cofinanciering", "100% EU financiering",
"± 40% afname", "daalde met 10%".  Cue words and fund names live in ``kb/cues/funds.yaml``.

``extract_allocations(doc)`` gives the records, ``allocation_summary(records)`` the totals per
fund, ``allocations_json(store)`` what ``beleidsbank allocations --json`` prints.
"""
from __future__ import annotations

import re
from typing import Any

from kb.measures import FundConfig, default_fund_config, extract_measures, names_a_fund, walk_context
from kb.passages import Locator
from kb.regex_prefilter import lowered_or_none
from kb.sentences import block_spans, split_sentences

_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s?(?:%|procent\b)")
_PAREN = re.compile(r"\(([^()]*)\)")
_COMPLETE_EPS = 0.01


def parse_share(s: str) -> float:
    """ "67,5" -> 67.5 (Dutch decimal comma; a point is read as a decimal point too)."""
    return float(s.replace(",", "."))


def _fund_after(cfg: FundConfig, text: str, pos: int) -> tuple[str, int] | None:
    """Fund named right after a percentage: "van AMF", "van de BMVI middelen", "van het ISF-budget"."""
    m = re.match(r"\s*van\s+(?:de\s+|het\s+)?", text[pos:], re.IGNORECASE)
    if not m:
        return None
    start = pos + m.end()
    fm = cfg.fund_regex.match(text, start)
    if not fm:
        return None
    end = fm.end()
    tail = re.match(r"[\s-]*(?:middelen|budget|gelden|envelop(?:pe)?|allocatie)\b", text[end:], re.IGNORECASE)
    if tail:
        end += tail.end()
    return cfg.fund_of(fm.group()) or "", end


def parse_recipients(inner: str) -> list[dict[str, Any]]:
    """ "20% COA / 18% IND" -> [{"name": "COA", "share": 20.0}, {"name": "IND", "share": 18.0}]; "IND" -> share None."""
    out = []
    for part in re.split(r"\s*[/;+]\s*|,\s+|\s+en\s+", inner.strip()):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^(\d{1,3}(?:[.,]\d+)?)\s?(?:%|procent)\s*(?:voor\s+|aan\s+|naar\s+)?(.+)$", part)
        if m:
            out.append({"name": m.group(2).strip(), "share": parse_share(m.group(1))})
            continue
        m = re.match(r"^(.+?)\s*:?\s*(\d{1,3}(?:[.,]\d+)?)\s?(?:%|procent)$", part)
        if m:
            out.append({"name": m.group(1).strip(), "share": parse_share(m.group(2))})
            continue
        if len(part) <= 60 and re.search(r"[A-Za-z]", part):
            out.append({"name": part, "share": None})
    return out


def allocations_in_sentence(
    sentence: str, *, fund_context: str | None, allocation_section: bool, cfg: FundConfig | None = None
) -> list[dict[str, Any]]:
    """Allocations stated in one sentence: fund, share, recipients, purpose, offsets in the sentence."""
    cfg = cfg or default_fund_config()
    parens = [(m.start(), m.end(), m.group(1)) for m in _PAREN.finditer(sentence)]
    has_verb = bool(cfg.allocation_verbs.search(sentence))
    cands = []
    for m in _PERCENT.finditer(sentence):
        if any(a < m.start() < b for a, b, _i in parens):
            continue  # inside parentheses: a recipient's part, read with its parent
        cands.append(m)
    out = []
    for i, m in enumerate(cands):
        before = sentence[max(0, m.start() - 20): m.start()]
        if cfg.not_a_share_before.search(before) or cfg.not_a_share_after.match(sentence[m.end():]):
            continue
        fa = _fund_after(cfg, sentence, m.end())
        fund: str | None = None
        cue: str
        after = m.end()
        if fa and fa[0]:
            fund, after = fa
            cue = "van-fonds"
        elif has_verb or allocation_section:
            named = [f for _s, _e, f in cfg.funds_in(sentence) if f]
            fund = named[0] if len(set(named)) == 1 else fund_context
            cue = "allocatie-werkwoord" if has_verb else "allocatie-sectie"
        else:
            continue
        if not fund:
            continue
        limit = cands[i + 1].start() if i + 1 < len(cands) else len(sentence)
        rec_paren = next(((a, b, inner) for a, b, inner in parens if after <= a < limit), None)
        recipients = parse_recipients(rec_paren[2]) if rec_paren else []
        purpose_end = rec_paren[0] if rec_paren else limit
        purpose = sentence[after:purpose_end].strip(" ,;:.")
        if re.match(r"^(?:te alloceren|te besteden|toe te wijzen|het betreft)\b", purpose, re.IGNORECASE):
            purpose = ""
        purpose = re.sub(r"^(?:voor|gericht op|ten behoeve van|aan)\s+", "", purpose, flags=re.IGNORECASE)
        out.append({
            "fund": fund, "share": parse_share(m.group(1)), "recipients": recipients,
            "purpose": purpose[:200] or None, "cue": cue,
            "rel_start": m.start(), "rel_end": rec_paren[1] if rec_paren else after,
        })
    return out


def _has_percent(text: str) -> bool:
    """A share is written with "%" or "procent": a text without either holds no allocation."""
    return "%" in text or "procent" in text


def _section_text(sec: Any) -> str:
    return sec["text"] if isinstance(sec, dict) else sec.text


def _names_a_fund_anywhere(sections: list[Any], cfg: FundConfig) -> bool:
    """May a title or a sentence name a fund (``fund_regex``)?  The fund of every allocation is one so named:
    a title's (:func:`names_a_fund`), or one in the sentence, whose first letters (``fund_words``) are then
    somewhere in its section's text."""
    if names_a_fund(sections, cfg):
        return True
    gate = cfg.fund_words
    return any(gate.mask(lowered_or_none(text)) for text in map(_section_text, sections))


def extract_allocations(doc: Any, cfg: FundConfig | None = None) -> list[dict[str, Any]]:
    """Allocation records of a document, in document order.

    Each record: ``id`` (``{section_id}/a{n}``), ``fund``, ``share`` (float), ``measure`` (the
    measure heading's first sentence, or the objective of the allocation section), ``measure_id``
    (the heading measure's record id, when the allocation sits in a numbered measure section),
    ``objective``, ``purpose`` (what the sentence says the money is for), ``recipients``
    (``[{"name", "share"}]``; sub-allocations of this share), ``section_id``, ``document_id``,
    ``start``/``end`` (the source sentence in ``section.text``), ``block_index``, ``passage_id``
    (the window holding the sentence, :mod:`kb.passages`), ``text`` (the sentence) and ``cue``.
    """
    cfg = cfg or default_fund_config()
    out: list[dict[str, Any]] = []
    if not any(_has_percent(_section_text(sec)) for sec in doc.sections):
        return out  # every allocation is a percentage: most documents hold none
    if not _names_a_fund_anywhere(doc.sections, cfg):
        return out  # and has a fund, named after it, in its sentence or in a title above
    measures = extract_measures(doc, cfg)
    heading_measure = {m["section_id"]: m for m in measures if m["kind"] == "heading"}
    for sec, fund, objective, _scope, alloc_section in walk_context(doc.sections, cfg):
        get = (lambda k: sec[k]) if isinstance(sec, dict) else (lambda k: getattr(sec, k))
        sid, text = get("id"), get("text")
        if not _has_percent(text):
            continue  # no sentence of it can hold a share: not split into sentences at all
        n = 0
        windows: Locator | None = None  # the passage (kb.passages) holding each sentence: one id, one span everywhere
        for bi, (bs, be, _kind) in enumerate(block_spans(text, get("blocks"))):
            for sp in split_sentences(text[bs:be], base=bs):
                if not _has_percent(sp.text):
                    continue
                for a in allocations_in_sentence(sp.text, fund_context=fund, allocation_section=alloc_section, cfg=cfg):
                    n += 1
                    if windows is None:
                        windows = Locator(sec)
                    hm = heading_measure.get(sid)
                    if hm is not None:
                        measure, measure_id = hm["label"], hm["id"]
                    else:
                        measure, measure_id = objective, None
                    out.append({
                        "id": f"{sid}/a{n}", "fund": a["fund"], "share": a["share"], "measure": measure,
                        "measure_id": measure_id, "objective": objective, "purpose": a["purpose"],
                        "recipients": a["recipients"], "section_id": sid, "document_id": doc.id,
                        "start": sp.start, "end": sp.end, "block_index": bi,
                        "passage_id": windows.id_at(sp.start, sid),
                        "text": sp.text, "cue": a["cue"],
                    })
    return out


def allocation_summary(allocations: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per fund: ``total`` of the top-level shares, ``complete`` (adds up to 100%), ``unallocated`` (100 - total, not below 0),
    ``over`` (more than 100%), ``count``; recipients are parts of their allocation and are not added again."""
    out: dict[str, dict[str, Any]] = {}
    for a in allocations:
        f = out.setdefault(a["fund"], {"total": 0.0, "count": 0})
        f["total"] += float(a["share"])
        f["count"] += 1
    for f in out.values():
        total = round(f["total"], 4)
        f["total"] = total
        f["complete"] = abs(total - 100.0) < _COMPLETE_EPS
        f["unallocated"] = round(max(0.0, 100.0 - total), 4)
        f["over"] = total > 100.0 + _COMPLETE_EPS
    return out


def allocations_json(store: Any, document_id: str | None = None) -> dict[str, Any]:
    """``{"allocations": [...], "summary": {fund: {...}}}`` from the store (what ``beleidsbank allocations --json`` prints)."""
    from kb.extract_store import read_allocations

    rows = read_allocations(store, document_id=document_id)
    titles = {d["id"]: d["title"] for d in store.documents()}
    items = []
    for r in rows:
        items.append({
            "id": r["id"], "fund": r["fund"], "share": r["share"], "measure": r.get("measure"),
            "measure_id": r.get("measure_id"), "objective": r.get("objective"), "purpose": r.get("purpose"),
            "recipients": r["recipients"], "passage_id": r.get("passage_id"), "section_id": r["section_id"],
            "document": r["document_id"], "document_title": titles.get(r["document_id"]),
            "start": r["start"], "end": r["end"], "text": r["text"],
        })
    return {"allocations": items, "summary": allocation_summary(items)}
