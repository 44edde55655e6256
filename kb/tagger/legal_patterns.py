"""Legal references found by rule, the LAW proposals of ``bb_patterns`` (kb_id rules in kb/patterns/legal.yaml).

EU acts with a number ("richtlijn 2016/681", "Richtlijn (EU) 2016/849", "VERORDENING (EU) Nr. 1053/2013",
"Directive 2008/115/EC", "ECRIS-richtlijn 2018/884"), acronym + act compounds ("PNR-richtlijn"), names of
acts ("Wet straffen en beschermen", "wet USB", "Visumcode"), and article references into an act ("artikel 137d Sr",
"art. 2:20 BW", "artikel 3 lid 2 van de Subsidieregeling AMIF en ISF 2014-2020").  Kept apart from the
other pattern rules because they share the act vocabulary and the ``law_kb`` id rule; the register of
regulations (``bb_laws``, :mod:`kb.tagger.laws`) later replaces the guesses it knows exactly.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from nltext import is_acronym

from .candidates import TIER_HEURISTIC, TIER_RULE, Candidate, add_char_candidate, add_token_candidate, token_texts
from .catalogue_matcher import act_celex
from .index import EntityIndex
from .text import YEARISH, acronym_like, derived_id, is_capitalised, is_stop, legal_codes, load_yaml, norm_token

_ACT_KW = r"(?:[Rr]ichtlijn|RICHTLIJN|[Vv]erordening|VERORDENING|[Uu]itvoeringsverordening|[Kk]aderbesluit|[Bb]esluit|BESLUIT|[Dd]irective|DIRECTIVE|[Rr]egulation|REGULATION|[Dd]ecision)"
EU_ACT = re.compile(
    r"(?<![\w-])(?P<pre>(?:[A-Z][A-Za-z0-9&+]*[-\u2010\u2011]){1,3})?(?P<kw>" + _ACT_KW + r")"
    r"(?:\s+(?:van\s+de\s+(?:Raad|Commissie)\s+)?)?\s*"
    r"(?:\((?P<org>EU|EG|EEG|EU,\s*Euratom|EC|EEC|JBZ)\)\s*)?(?:(?:[Nn][Rr]|[Nn]o)\.?\s*)?"
    r"(?P<a>\d{1,4})/(?P<b>\d{1,4})(?:/(?P<suf>EU|EG|EEG|EC|EEC|JBZ|JHA|GBVB))?(?![\d/])"
)
BARE_EU_ACT = re.compile(r"\((?P<org>EU|EG|EEG)\)\s*(?:[Nn][Rr]\.?\s*)?(?P<a>\d{1,4})/(?P<b>\d{1,4})(?![\d/])")
ACRONYM_ACT = re.compile(
    r"(?<![\w-])(?P<pre>[A-Z][A-Za-z0-9&+]*(?:[-\u2010\u2011][A-Z0-9][A-Za-z0-9&+]*)*)[-\u2010\u2011]"
    r"(?P<kw>richtlijn|verordening|wet|besluit|regeling|verdrag)\b(?!\s*\d{1,4}/)"
)
ARTICLE = re.compile(
    r"(?<![\w])(?P<kw>[Aa]rtikel(?:en)?|[Aa]rt\.|[Aa]rtt\.)\s*(?P<art>\d+(?::\d+)?[a-z]?(?:\.\d+)*"
    r"(?:\s?(?:bis|ter|quater))?(?:\(\d+\))*(?:\([a-z]\))?)"
    r"(?P<rest>(?:,?\s+(?:lid|leden)\s+\d+[a-z]?(?:\s*(?:en|,)\s*\d+)*)?(?:,?\s+(?:onder|sub|aanhef\s+en\s+onder)\s+[a-z0-9]+)?)"
)
_OF = re.compile(r",?\s+(?:van\s+(?:de|het)\s+|van\s+)?")  # matched at the end of an article reference


class LegalReferences:
    """Finds LAW candidates by rule; ids come from the entity index where it knows the act."""

    def __init__(self) -> None:
        self.index = EntityIndex()
        legal = load_yaml("legal.yaml")
        self.codes = legal_codes()
        self.law_stop = {norm_token(w) for w in legal.get("name_stop_words") or []}
        self.law_name_words = {norm_token(w) for w in legal.get("name_words") or []}
        # tried at the end of an article reference (``match(text, pos)``: no copy of the rest of the text)
        self._codes_rx = re.compile(
            r"\s+(?P<code>" + "|".join(re.escape(c) for c in sorted(self.codes, key=len, reverse=True)) + r")(?![\w])")

    def law_kb(self, surface: str, celex: str | None = None, name: str | None = None) -> str:
        if celex:
            hit = self.index.by_celex(celex)
            if hit:
                return hit
        hit = self.index.lookup(surface) or (self.index.lookup(name) if name else None)
        if hit and self.index.entities[hit].label == "LAW":
            return hit
        if celex:
            return f"celex-{celex.lower()}"
        return derived_id("LAW", name or surface)

    def eu_acts(self, doc: Doc, text: str) -> list[Candidate]:
        out = []
        for m in EU_ACT.finditer(text):
            number = f"{m.group('a')}/{m.group('b')}"
            celex = act_celex(number, m.group("kw"))
            related = []
            pre = (m.group("pre") or "").rstrip("-\u2010\u2011")
            if pre:
                rid = self.index.lookup(pre)
                if rid:
                    related.append(rid)
            kb = self.law_kb(text[m.start():m.end()], celex)
            c = add_char_candidate(doc, m.start(), m.end(), "LAW", kb, "legal", TIER_RULE, related=related,
                                   value=celex)
            if c:
                out.append(c)
        spans = [(c.start_char, c.end_char) for c in out]
        for m in BARE_EU_ACT.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            kb = derived_id("LAW", f"{m.group('org')} {m.group('a')} {m.group('b')}")
            c = add_char_candidate(doc, m.start(), m.end(), "LAW", kb, "legal", TIER_RULE)
            if c:
                out.append(c)
        return out

    def acronym_acts(self, doc: Doc, text: str) -> list[Candidate]:
        out = []
        for m in ACRONYM_ACT.finditer(text):
            pre = m.group("pre")
            if not acronym_like(pre.split("-")[0]):
                continue
            surface = text[m.start():m.end()]
            rid = self.index.lookup(pre)
            kb = self.index.lookup(surface)
            if kb is None and rid:
                rel = self.index.related_of(rid, "LAW")
                kb = rel[0] if len(rel) == 1 else None
            kb = kb or derived_id("LAW", surface)
            c = add_char_candidate(doc, m.start(), m.end(), "LAW", kb, "legal", TIER_RULE,
                                   related=[rid] if rid else [])
            if c:
                out.append(c)
        return out

    def law_names(self, doc: Doc) -> list[Candidate]:
        """"Wet straffen en beschermen", "Wet SenB", "wet USB", "Wet op de ..." as LAW."""
        out = []
        n = len(doc)
        for i, word in enumerate(token_texts(doc)):
            if word not in ("Wet", "wet", "WET"):
                continue  # told from the text alone: a Token object only for the few "Wet"s
            tok = doc[i]
            if i + 1 >= n or tok.whitespace_ == "":
                continue
            nxt = doc[i + 1]
            lower_wet = tok.text == "wet"
            if lower_wet and not (is_capitalised(nxt.text) or is_acronym(nxt.text)) or tok.text == "WET":
                continue
            end = i + 1
            k = i + 1
            while k < n and k - i <= 9:
                t = doc[k]
                low = norm_token(t.text)
                if "\n" in doc[k - 1].whitespace_ or t.is_space:
                    break
                if t.text in ("'s", "’s") and doc[k - 1].whitespace_ == "":
                    end = k + 1
                    k += 1
                    continue
                if low in self.law_stop:
                    break
                if low in self.law_name_words:
                    if low == "op" and k != i + 1:
                        break
                    k += 1
                    continue
                if t.is_punct or t.like_num and not YEARISH.match(t.text):
                    break
                if YEARISH.match(t.text):
                    end = k + 1
                    k += 1
                    break
                if lower_wet and not (is_capitalised(t.text) or is_acronym(t.text)):
                    break
                if is_stop(t.text) or _participle(low):
                    break
                if not (t.is_alpha or is_acronym(t.text)):
                    break
                end = k + 1
                k += 1
            while end > i + 1 and norm_token(doc[end - 1].text) in self.law_name_words:
                end -= 1
            if end <= i + 1:
                continue
            surface = doc[i:end].text
            c = add_token_candidate(doc, i, end, "LAW", self.law_kb(surface), "lawname", TIER_HEURISTIC,
                                    head_first=True)
            if c:
                out.append(c)
        return out

    def articles(self, doc: Doc, laws: list[Candidate], text: str) -> None:
        by_start = {}
        for c in laws:
            if c.start_char not in by_start or c.length > by_start[c.start_char].length:
                by_start[c.start_char] = c
        for m in ARTICLE.finditer(text):
            after = m.end()
            art = re.sub(r"\s+", " ", f"artikel {m.group('art')}{m.group('rest')}".strip())
            code = self._codes_rx.match(text, after)
            if code:
                name = self.codes[code.group("code")]
                kb = self.law_kb(code.group("code"), name=name)
                add_char_candidate(doc, m.start(), code.end(), "LAW", kb, "legal", TIER_RULE, value=art)
                continue
            of = _OF.match(text, after)
            target = by_start.get(of.end() if of else after)
            if target is None:
                continue
            add_char_candidate(doc, m.start(), target.end_char, "LAW", target.kb_id, "legal", TIER_RULE,
                               related=list(target.related), value=art)


def _participle(word: str) -> bool:
    return bool(re.fullmatch(r"(?:aan|af|in|op|uit|vast|voor|toe|mee|terug)?ge\w{2,}(?:d|t|en)", word)) and \
        not word.startswith(("gevangenis", "gegevens", "geweld", "gemeente", "gezondheid", "geld", "gebied"))
