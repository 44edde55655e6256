"""The measures a fund plan lists, as records linked to their passage.

Works on the section structure, not on one document's layout:

* a section whose title names a fund ("AMF Asiel en opvang", "BMVI Visa Instrument",
  "ISF specifieke doelstelling 1") sets the *fund context*; later sections at the same or a
  deeper level inherit it (plans often put "Door het Fonds gesteunde maatregelen ..." beside,
  not below, the fund's heading); a heading at a higher level without a fund ends it;
* the *objective* (theme) is the nearest title that says what the part is about, with fund
  names and generic words stripped ("AMF Asiel en opvang" -> "Asiel en opvang"; under
  "ISF specifieke doelstelling 1" the sub-heading "Verbeteren Informatie-uitwisselingssystemen");
* a section titled "... maatregelen ..." opens a *measure scope* (it and its sub-sections):
  an article reference (a sub-section title "Artikel 3(2)(a)" or a paragraph "Artikel 3(1)")
  sets the current article; a list item opening with "(d) ..." is the article's point; every
  other list item is a measure, with ``article_ref`` "Artikel 3(2)(a) (d)";
* a numbered heading ("1. PNR", "2. Het positioneren van LO's ...") inside a fund context is a
  measure of its own (``kind`` "heading": it points at the section, ``start == end == 0``);
  list items below it in a measure scope are measures with that heading as parent.

Patterns and fund names live in ``kb/cues/funds.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from nltext import is_acronym
from kb.regex_prefilter import LiteralGate, StartScan, lowered_or_none, start_literals
from kb.sentences import block_spans, split_sentences

FUNDS_PATH = Path(__file__).resolve().parent / "cues" / "funds.yaml"


@dataclass
class FundConfig:
    names: dict[str, list[str]]
    fund_regex: re.Pattern[str]
    fund_by_form: dict[str, str]
    measure_heading: re.Pattern[str]
    allocation_heading: re.Pattern[str]
    article_ref: re.Pattern[str]
    article_point: re.Pattern[str]
    numbered_heading: re.Pattern[str]
    title_noise: list[re.Pattern[str]]
    generic_titles: re.Pattern[str]
    allocation_verbs: re.Pattern[str]
    not_a_share_before: re.Pattern[str]
    not_a_share_after: re.Pattern[str]

    @property
    def fund_scan(self) -> StartScan:
        """``fund_regex`` tried only where a fund's name can start (:class:`kb.regex_prefilter.StartScan`)."""
        scan = self.__dict__.get("_fund_scan")
        if scan is None or scan.pattern is not self.fund_regex:
            scan = self.__dict__["_fund_scan"] = StartScan(self.fund_regex)
        return scan

    @property
    def fund_words(self) -> LiteralGate:
        """A one-bit gate: set when a text holds a string a fund's name starts with (or when that is unknown)."""
        gate = self.__dict__.get("_fund_words")
        if gate is None or self.__dict__.get("_fund_words_of") is not self.fund_regex:
            gate = self.__dict__["_fund_words"] = LiteralGate([start_literals(self.fund_regex)])
            self.__dict__["_fund_words_of"] = self.fund_regex
        return gate

    def fund_of(self, surface: str) -> str | None:
        s = re.sub(r"\s+", " ", surface.strip())
        return self.fund_by_form.get(s) or self.fund_by_form.get(s.lower())

    def funds_in(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), self.fund_of(m.group()) or "") for m in self.fund_regex.finditer(text)]


def load_fund_config(path: Path | None = None) -> FundConfig:
    raw = yaml.safe_load((path or FUNDS_PATH).read_text(encoding="utf-8"))
    names: dict[str, list[str]] = {k: list(v) for k, v in raw["funds"].items()}
    by_form: dict[str, str] = {}
    alts = []
    for fund, forms in names.items():
        for form in sorted(set(forms) | {fund}, key=len, reverse=True):
            if is_acronym(form):
                by_form[form] = fund
                alts.append((len(form), rf"(?<![\w-]){re.escape(form)}(?![\w])"))
            else:
                by_form[form.lower()] = fund
                pat = re.escape(form).replace(r"\ ", r"\s+")
                alts.append((len(form), rf"(?i:\b{pat}\b)"))
    alts.sort(reverse=True)
    rx = re.compile("|".join(a for _n, a in alts))
    ci = lambda p: re.compile(p, re.IGNORECASE)  # noqa: E731
    return FundConfig(
        names=names, fund_regex=rx, fund_by_form=by_form,
        measure_heading=ci(raw["measure_heading"]), allocation_heading=ci(raw["allocation_heading"]),
        article_ref=ci(raw["article_ref"]), article_point=ci(raw["article_point"]),
        numbered_heading=re.compile(raw["numbered_heading"]),
        title_noise=[ci(rf"\b{p}(?!\w)") if p[0].isalpha() else ci(p) for p in raw.get("title_noise", [])],
        generic_titles=ci(raw["generic_titles"]), allocation_verbs=ci(raw["allocation_verbs"]),
        not_a_share_before=ci(raw["not_a_share_before"]), not_a_share_after=ci(raw["not_a_share_after"]),
    )


@lru_cache(maxsize=2)
def default_fund_config() -> FundConfig:
    return load_fund_config(FUNDS_PATH)


def _get(sec: Any, key: str) -> Any:
    return sec[key] if isinstance(sec, dict) else getattr(sec, {"ord": "order"}.get(key, key))


def clean_title(title: str) -> str:
    """Plain heading text: markup, trailing colons and surrounding space removed."""
    t = re.sub(r"<[^>]+>|\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", title)
    return re.sub(r"\s+", " ", t).strip().rstrip(":").strip()


def theme_of(title: str, cfg: FundConfig | None = None) -> str | None:
    """The theme a title names, without fund names and generic words ("AMF Asiel en opvang" -> "Asiel en opvang")."""
    cfg = cfg or default_fund_config()
    t = clean_title(title)
    if cfg.article_ref.match(t) or cfg.numbered_heading.match(t):
        return None
    t = re.sub(r"\s+", " ", cfg.fund_regex.sub(" ", t)).strip(" -–:,")
    if not t or cfg.generic_titles.match(t):
        return None
    for rx in cfg.title_noise:
        t = rx.sub(" ", t)
    t = re.sub(r"\s+", " ", t).strip(" -–:,")
    if t.startswith("(") and ")" not in t:
        t = t[1:].strip()
    if t.endswith(")") and "(" not in t:
        t = t[:-1].strip()
    if not t or cfg.generic_titles.match(t):
        return None
    return t[:1].upper() + t[1:]


@dataclass
class _Context:
    fund: str | None = None
    fund_level: int = 0
    themes: list[tuple[int, str | None]] | None = None  # (level, theme) stack
    scope_level: int | None = None  # level of the open measure scope


def walk_context(sections: list[Any], cfg: FundConfig | None = None):
    """Yield (section, fund, objective, in_measure_scope, is_allocation_section) in document order."""
    cfg = cfg or default_fund_config()
    ctx = _Context(themes=[])
    ctx.themes = []
    for sec in sections:
        level = int(_get(sec, "level"))
        title = clean_title(_get(sec, "title"))
        # only a short, unnumbered heading names the part's fund ("AMF Asiel en opvang"); a fund named
        # in passing inside a long numbered measure heading ("... gefinancierd uit het huidige ISF") does not
        funds = [] if cfg.numbered_heading.match(title) or len(title.split()) > 12 else [
            f for _s, _e, f in cfg.funds_in(title) if f]
        if funds:
            ctx.fund, ctx.fund_level = funds[0], level
        elif ctx.fund and level < ctx.fund_level:
            ctx.fund = None
        # theme stack: drop themes at this level or deeper, push this title's theme
        assert ctx.themes is not None
        theme = theme_of(title, cfg)
        if funds or theme:
            ctx.themes = [(lv, th) for lv, th in ctx.themes if lv < level]
        if theme or funds:
            # "ISF specifieke doelstelling 1": no theme of its own, it comes from the sub-headings
            ctx.themes.append((level, theme))
        # measure scope
        if ctx.scope_level is not None and level <= ctx.scope_level:
            ctx.scope_level = None
        if cfg.measure_heading.search(title) and not cfg.numbered_heading.match(title):
            ctx.scope_level = level
        objective = ctx.themes[-1][1] if ctx.themes else None
        yield sec, ctx.fund, objective, ctx.scope_level is not None, bool(cfg.allocation_heading.search(title))


def heading_measure_text(title: str, cfg: FundConfig | None = None) -> tuple[str | None, str]:
    """(number, text) of a numbered measure heading: "1. PNR" -> ("1", "PNR")."""
    cfg = cfg or default_fund_config()
    t = clean_title(title)
    m = cfg.numbered_heading.match(t)
    if not m:
        return None, t
    return m.group(1), t[m.end() - 1:].strip()


def measure_label(text: str, limit: int = 200) -> str:
    """A short label for a measure: its first sentence, cut at a word boundary."""
    sents = split_sentences(text)
    label = sents[0].text if sents else text
    label = label.rstrip(" .;:")
    if len(label) > limit:
        label = label[:limit].rsplit(" ", 1)[0] + " …"
    return label


def names_a_fund(sections: list[Any], cfg: FundConfig | None = None) -> bool:
    """Does any section title name a fund?  Without one no fund context is ever set (:func:`walk_context`
    takes it from titles only), so a document has no measures: the build skips the walk (and its theme
    regexes per title) for the many documents that are no fund plan."""
    cfg = cfg or default_fund_config()
    scan = cfg.fund_scan
    for sec in sections:
        title = clean_title(_get(sec, "title"))
        if scan.search(title, lowered_or_none(title)):
            return True
    return False


def extract_measures(doc: Any, cfg: FundConfig | None = None) -> list[dict[str, Any]]:
    """Measure records of a document (``Document`` or an object with ``id`` and ``sections``)."""
    cfg = cfg or default_fund_config()
    out: list[dict[str, Any]] = []
    if not names_a_fund(doc.sections, cfg):
        return out  # every record below needs a fund context
    article: str | None = None
    article_level: int | None = None
    parent_heading: dict[str, Any] | None = None
    parent_level: int | None = None
    for sec, fund, objective, in_scope, _alloc in walk_context(doc.sections, cfg):
        sid, level = _get(sec, "id"), int(_get(sec, "level"))
        title = clean_title(_get(sec, "title"))
        text = _get(sec, "text")
        n = 0
        if article_level is not None and level <= article_level:
            article, article_level = None, None
        if parent_level is not None and level <= parent_level:
            parent_heading, parent_level = None, None
        if cfg.article_ref.match(title):
            article, article_level = title, level
        number, htext = heading_measure_text(title, cfg)
        if number and fund:
            n += 1
            hstart = hend = 0
            # readers put a long heading's full text in a "heading_text" block: point at it
            hb = next(((s, e) for s, e, k in block_spans(text, _get(sec, "blocks")) if k == "heading_text"), None)
            if hb is not None:
                bnum, btext = heading_measure_text(text[hb[0]:hb[1]], cfg)
                if bnum == number:
                    htext = btext
                    hend = hb[1] - len(text[hb[0]:hb[1]]) + len(text[hb[0]:hb[1]].rstrip())
                    hstart = hend - len(htext.rstrip())
                    htext = text[hstart:hend]
            rec = {
                "id": f"{sid}/m{n}", "section_id": sid, "document_id": doc.id, "start": hstart, "end": hend,
                "article_ref": None, "fund": fund, "objective": objective, "text": htext,
                "kind": "heading", "number": number, "label": measure_label(htext), "point": None, "parent_id": None,
            }
            out.append(rec)
            parent_heading, parent_level = rec, level
            article = None
        if not (in_scope and fund):
            continue
        point: tuple[str, str] | None = None
        for start, end, kind in block_spans(text, _get(sec, "blocks")):
            body = text[start:end]
            stripped = clean_title(body)
            if kind != "list_item" and cfg.article_ref.match(stripped):
                article, article_level, point = stripped, level, None
                continue
            if kind != "list_item":
                continue
            pm = cfg.article_point.match(body)
            if pm:
                point = (pm.group(1), body.strip().rstrip(";").strip())
                continue
            lead = len(body) - len(body.lstrip())
            trail = len(body.rstrip().rstrip(";").rstrip())
            n += 1
            ref = None
            if article:
                ref = f"{article} ({point[0]})" if point else article
            out.append({
                "id": f"{sid}/m{n}", "section_id": sid, "document_id": doc.id,
                "start": start + lead, "end": start + trail, "article_ref": ref, "fund": fund,
                "objective": objective, "text": body[lead:trail], "kind": "item", "number": None,
                "label": measure_label(body[lead:trail]), "point": point[1] if point else None,
                "parent_id": parent_heading["id"] if parent_heading else None,
            })
    return out


def measures_by_fund(measures: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in measures:
        out[m["fund"]] = out.get(m["fund"], 0) + 1
    return out
