"""Component ``bb_patterns``: entities recognised by rule, with the rules' word lists in kb/patterns/*.yaml.

* MONEY / PERCENT / DATE with a normalised ``value`` (see :mod:`kb.tagger.values`; kb_id "money",
  "percent", "date");
* legal references as LAW (see kb/patterns/legal.yaml for the kb_id rules):
  EU acts with a number ("richtlijn 2016/681", "Richtlijn (EU) 2016/849", "verordening (EU) 2018/1805",
  "VERORDENING (EU) Nr. 1053/2013", "Directive 2008/115/EC", "ECRIS-richtlijn 2018/884"), acronym + act
  compounds ("PNR-richtlijn"), names of acts ("Wet straffen en beschermen", "wet USB", "Visumcode",
  "Subsidieregeling AMIF en ISF 2014-2020"), and article references into an act ("artikel 137d Sr",
  "art. 2:20 BW", "artikel 3 lid 2 van de Subsidieregeling AMIF en ISF 2014-2020");
* capitalised names whose head noun gives the label (kb/patterns/heads.yaml): "Integrale Migratieagenda"
  PROGRAMME, "Centraal Justitieel Incassobureau" ORG, "Verwijzingsportaal Bankgegevens" SYSTEM,
  "directie Consulaire Zaken en Visumbeleid" ORG; kb_id ``<label>-<slug>``;
* places from a gazetteer (LOC, "loc:<slug>") and persons after a title or initials (PERSON,
  "person:<slug>") — used when no statistical model is installed.

These are proposals; ``bb_resolve`` lets catalogue entities win where a heuristic name overlaps them.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nltext import is_acronym

from .candidates import (TIER_HEURISTIC, TIER_RULE, Candidate, add_char_candidate, add_token_candidate,
                         candidates, sentence_starts)
from .catalogue_matcher import act_celex
from .index import EntityIndex
from .text import (HYPHEN_TOKENS, NAME_CONNECTORS, NATIONAL_ADJECTIVES, WEAK_HEADS, acronym_like, derived_id, heads, is_all_caps, is_capitalised,
                   is_stop, load_yaml, norm_token, slug)
from .values import find_values

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
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,4}\s?(?=(?:(?:van|de|der|den|ten|ter|te)\s)*[A-Z][a-zà-ÿ])")
_OF = re.compile(r"^,?\s+(?:van\s+(?:de|het)\s+|van\s+)?")
_YEARISH = re.compile(r"^(?:19|20)\d{2}(?:[-\u2010-\u2015](?:19|20)\d{2})?$")

_LOWER_HEADS = {"ministerie", "directie", "programma", "project", "programmadirectoraat", "projectdirectie",
                "directoraat-generaal", "bureau", "dienst", "inspectie", "agentschap", "wetsvoorstel",
                "initiatiefwetsvoorstel", "subsidieregeling"}


class PatternEntities:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.index = EntityIndex()
        legal = load_yaml("legal.yaml")
        self.codes: dict[str, str] = {str(k): str(v) for k, v in (legal.get("codes") or {}).items()}
        self.law_stop = {norm_token(w) for w in legal.get("name_stop_words") or []}
        self.law_name_words = {norm_token(w) for w in legal.get("name_words") or []}
        self._codes_rx = re.compile(
            r"^\s+(?P<code>" + "|".join(re.escape(c) for c in sorted(self.codes, key=len, reverse=True)) + r")(?![\w])")
        persons = load_yaml("persons.yaml")
        self.titles = sorted((t for t in persons.get("titles") or []), key=len, reverse=True)
        self.particles = {p.lower() for p in persons.get("particles") or []}
        self.not_names = set(persons.get("not_names") or [])
        self.places = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.place_ids: dict[str, str] = {}
        self._load_places()

    def configure(self, index: EntityIndex) -> None:
        self.index = index

    def _load_places(self) -> None:
        data = load_yaml("places.yaml")
        for group in data.values():
            for item in group or []:
                if isinstance(item, dict):
                    name, aliases = item["name"], list(item.get("aliases") or [])
                else:
                    name, aliases = str(item), []
                pid = "loc:" + slug(name)
                for form in [name, *aliases]:
                    self.places.add(pid, [self.nlp.make_doc(form)])

    # -- entry ------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for v in find_values(text):
            add_char_candidate(doc, v.start, v.end, v.label, v.label.lower(), "value", TIER_RULE, value=v.value)
        laws: list[Candidate] = [c for c in candidates(doc) if c.label == "LAW"]
        laws += self._eu_acts(doc, text)
        laws += self._acronym_acts(doc, text)
        laws += self._law_names(doc)
        laws += self._names(doc)
        self._acronym_compounds(doc)
        self._articles(doc, laws, text)
        self._places(doc)
        self._persons(doc, text)
        return doc

    # -- legal references -------------------------------------------------------------------------
    def _law_kb(self, surface: str, celex: str | None = None, name: str | None = None) -> str:
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

    def _eu_acts(self, doc: Doc, text: str) -> list[Candidate]:
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
            kb = self._law_kb(text[m.start():m.end()], celex)
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

    def _acronym_acts(self, doc: Doc, text: str) -> list[Candidate]:
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

    def _acronym_compounds(self, doc: Doc) -> None:
        """"CDO-raad" ORG, "BIG-register" SYSTEM: an acronym the catalogue does not know joined to a head
        noun from ``acronym_compound_heads`` (kb/patterns/heads.yaml); generic acronyms ("AI-register") excluded."""
        data = load_yaml("heads.yaml")
        allowed = {norm_token(h) for h in data.get("acronym_compound_heads") or []}
        generic = {str(a) for a in data.get("generic_acronyms") or []}
        n = len(doc)
        for i in range(n - 2):
            tok, hyphen, word = doc[i], doc[i + 1], doc[i + 2]
            if hyphen.text not in HYPHEN_TOKENS or tok.whitespace_ or hyphen.whitespace_ or not word.is_alpha:
                continue
            if not acronym_like(tok.text) or not tok.text[:1].isupper() or tok.text in generic:
                continue
            if i > 0 and doc[i - 1].text in HYPHEN_TOKENS and not doc[i - 1].whitespace_:
                continue  # inside a longer compound
            if i + 3 < n and doc[i + 3].text in HYPHEN_TOKENS and not word.whitespace_:
                continue
            head = norm_token(word.text)
            cls = heads().word_class(word.text)
            if head not in allowed or cls in (None, "LAW") or self.index.lookup(tok.text) is not None:
                continue
            surface = doc[i:i + 3].text
            known = self.index.lookup(surface)
            kb = known if known and self.index.entities[known].label == cls else derived_id(cls, surface)
            add_token_candidate(doc, i, i + 3, cls, kb, "compound", TIER_HEURISTIC)

    def _law_names(self, doc: Doc) -> list[Candidate]:
        """"Wet straffen en beschermen", "Wet SenB", "wet USB", "Wet op de ..." as LAW."""
        out = []
        n = len(doc)
        for i, tok in enumerate(doc):
            if tok.text not in ("Wet", "wet", "WET"):
                continue
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
                if t.is_punct or t.like_num and not _YEARISH.match(t.text):
                    break
                if _YEARISH.match(t.text):
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
            c = add_token_candidate(doc, i, end, "LAW", self._law_kb(surface), "lawname", TIER_HEURISTIC,
                                    head_first=True)
            if c:
                out.append(c)
        return out

    def _articles(self, doc: Doc, laws: list[Candidate], text: str) -> None:
        by_start = {}
        for c in laws:
            if c.start_char not in by_start or c.length > by_start[c.start_char].length:
                by_start[c.start_char] = c
        for m in ARTICLE.finditer(text):
            after = m.end()
            art = re.sub(r"\s+", " ", f"artikel {m.group('art')}{m.group('rest')}".strip())
            code = self._codes_rx.match(text[after:])
            if code:
                name = self.codes[code.group("code")]
                kb = self._law_kb(code.group("code"), name=name)
                add_char_candidate(doc, m.start(), after + code.end(), "LAW", kb, "legal", TIER_RULE, value=art)
                continue
            of = _OF.match(text[after:])
            target = by_start.get(after + (of.end() if of else 0))
            if target is None:
                continue
            add_char_candidate(doc, m.start(), target.end_char, "LAW", target.kb_id, "legal", TIER_RULE,
                               related=list(target.related), value=art)

    # -- capitalised names with a head noun --------------------------------------------------------
    def _names(self, doc: Doc) -> list[Candidate]:
        out: list[Candidate] = []
        lex = heads()
        starts = sentence_starts(doc)
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            lower_head = tok.lower_ in _LOWER_HEADS and tok.is_lower
            if not lower_head and not self._name_start(tok, starts[i]):
                i += 1
                continue
            if not lower_head and starts[i] and lex.word_class(tok.text) is None and i + 1 < n \
                    and doc[i + 1].lower_ in NAME_CONNECTORS:
                i += 1  # "Conform de Integrale Migratieagenda": a sentence-initial word before "de"
                continue
            first = i
            k = i + 1
            last = i
            van_voor, scanned = False, first  # has the name so far a "van"/"voor" (scanned up to k)?
            if lower_head:
                k2 = k
                while k2 < n and doc[k2].lower_ in ("van", "voor", "de", "het") and k2 - k < 2:
                    k2 += 1
                if k2 < n and _name_word(doc[k2]) and not is_stop(doc[k2].text):
                    k = k2
                    last = k2
                    k += 1
                else:
                    i += 1
                    continue
            while k < n:
                t = doc[k]
                if "\n" in doc[k - 1].whitespace_ or t.is_space:
                    break
                if _name_word(t):
                    last = k
                    k += 1
                    continue
                if t.text in HYPHEN_TOKENS and not (k + 1 < n and doc[k + 1].lower_ in ("en", "of")):
                    break  # " - " separates titles ("Signaal Kostendelers - Stichting Inlichtingenbureau");
                    # only the elliptic "Immigratie - en Naturalisatiedienst" continues a name
                if t.text == ",":
                    while scanned < k:
                        van_voor = van_voor or doc[scanned].lower_ in ("van", "voor")
                        scanned += 1
                    if not van_voor:
                        break  # "Archiefwet, Inspectie ...": a list; a comma only inside "Fonds voor Asiel, Migratie en ..."
                if t.is_lower and t.lower_ in ("de", "het", "der", "den", "the"):
                    break  # an article goes on a name only after a preposition ("Inspectie van het Onderwijs");
                    # right after a name word it starts a new phrase ("heeft BZK het Volkshuisvestingsfonds")
                if t.lower_ in NAME_CONNECTORS or t.text in HYPHEN_TOKENS or t.text == ",":
                    m = k
                    while m < n and m - k < 3 and (doc[m].lower_ in NAME_CONNECTORS or doc[m].text in HYPHEN_TOKENS
                                                     or doc[m].text == ","):
                        m += 1
                    if m < n and _name_word(doc[m]) and "\n" not in doc[m - 1].whitespace_ and \
                            (doc[k].text != "," or any(doc[x].lower_ == "en" for x in range(m, min(n, m + 4)))):
                        k = m
                        continue
                break
            for a, b in self._split_on_en(doc, first, last + 1):
                c = self._name_candidate(doc, a, b, lower_head and a == first, starts)
                if c is not None:
                    out.append(c)
            i = max(last + 1, i + 1)
        return out

    @staticmethod
    def _name_start(tok, sent_start: bool) -> bool:
        if not _name_word(tok) or is_all_caps(tok.text) and len(tok.text) > 1 and not acronym_like(tok.text):
            return False
        if sent_start and is_stop(tok.text):
            return False
        return True

    def _split_on_en(self, doc: Doc, a: int, b: int) -> list[tuple[int, int]]:
        """"Tweede Kamer en Eerste Kamer" are two names; "Raad voor ... en Jeugdbescherming" is one.

        An "en" splits the run when a head noun sits on each side of it (the left side counted
        from the last split).  One pass with running counts, so a chain "IND en COA en ..." of
        any length costs linear time (issue 16 #1)."""
        lex = heads()
        n = b - a
        if n < 3:
            return [(a, b)]
        # prefix counts over doc[a:b]: content words with a head class, and any word with one
        content_cls = [0] * (n + 1)
        any_cls = [0] * (n + 1)
        for i in range(n):
            text = doc[a + i].text
            has = lex.word_class(text) is not None
            content = text not in HYPHEN_TOKENS and text.lower() not in NAME_CONNECTORS
            content_cls[i + 1] = content_cls[i] + (has and content)
            any_cls[i + 1] = any_cls[i] + has
        out: list[tuple[int, int]] = []
        start = 0
        for k in range(1, n - 1):
            if k <= start or doc[a + k].lower_ != "en" or doc[a + k - 1].text in HYPHEN_TOKENS:
                continue
            left = content_cls[k] - content_cls[start]
            right = content_cls[n] - content_cls[k + 1]
            if left and right and any_cls[n] - any_cls[k + 1]:
                out.append((a + start, a + k))
                start = k + 1
        out.append((a + start, b))
        return out

    def _name_candidate(self, doc: Doc, a: int, b: int, lower_head: bool, starts: list[bool]):
        lex = heads()
        while b > a and (doc[b - 1].lower_ in NAME_CONNECTORS or doc[b - 1].text in HYPHEN_TOKENS
                         or doc[b - 1].text == ","):
            b -= 1
        while a < b and (doc[a].lower_ in NAME_CONNECTORS and not lower_head):
            a += 1
        if b <= a:
            return None
        toks = doc[a:b]
        words = [t.text for t in toks if t.text not in HYPHEN_TOKENS and t.text != ","]
        content = [w for w in words if w.lower() not in NAME_CONNECTORS]
        if not content or not any(is_capitalised(w) or (w[:1].isupper() and not is_all_caps(w)) for w in content):
            if not lower_head:
                return None
        label = lex.phrase_class(words)
        if label is None:
            return None
        head_word = next(w for w in ([content[-1]] + ([content[0]] if len(content) > 1 else []) + content[-2:0:-1])
                         if lex.word_class(w) == label)
        if len(content) > 2 and head_word not in (content[0], content[-1]) and not lower_head \
                and not all(norm_token(w) in NATIONAL_ADJECTIVES for w in content[:content.index(head_word)]):
            # the head sits in the middle: "Discriminatieprotocol van het Ministerie van Binnenlandse Zaken"
            # names a document of the ministry; the entity is the part from the head on (but a national
            # adjective before the head belongs to the name: "Nationaal Programma Onderwijs")
            h = next(t.i for t in reversed(list(toks)) if t.text == head_word)
            return self._name_candidate(doc, h, b, False, starts)
        head_first = head_word == content[0] and len(content) > 1
        if lex.is_plural_head(head_word) or any(lex.is_plural_head(w) for w in content[-1:]):
            return None
        hw = norm_token(head_word)
        if len(content) == 1:
            if hw in lex.singular or starts[a] or not (doc[a].text[:1].isupper()):
                return None  # "Fonds", "Raad" alone; a sentence-initial single word
        if hw in WEAK_HEADS and len(content) == 2 and not head_first and \
                norm_token(content[0]) not in NATIONAL_ADJECTIVES:
            return None  # "Gedelegeerde Instantie", "Management Autoriteit": roles, not names
        if head_first and hw in lex.singular and b < len(doc) and doc[b].is_alpha and doc[b].is_lower \
                and not is_stop(doc[b].text) and norm_token(doc[b].text) not in self.law_stop:
            return None  # "Aanpak Bad hosting": a bare head followed by lower-case words; extent unknown
        if lower_head and len(content) == 2 and b < len(doc) and doc[b].is_alpha and doc[b].is_lower \
                and not is_stop(doc[b].text) and norm_token(doc[b].text) not in self.law_stop:
            return None  # "programma Tijdige rechtspraak": the name goes on in lower case; extent unknown
        # a year or period after a LAW/PROGRAMME name belongs to it ("Subsidieregeling AMIF en ISF 2014-2020")
        if label in ("LAW", "PROGRAMME") and b < len(doc) and _YEARISH.match(doc[b].text):
            b += 1
        surface = doc[a:b].text
        known = self.index.lookup(surface)
        kb = known if known and self.index.entities[known].label == label else derived_id(label, surface)
        return add_token_candidate(doc, a, b, label, kb, "name", TIER_HEURISTIC, head_first=head_first)

    # -- places and persons -------------------------------------------------------------------------
    def _places(self, doc: Doc) -> None:
        for match_id, start, end in self.places(doc):
            if end < len(doc) and doc[end].text in HYPHEN_TOKENS and doc[end - 1].whitespace_ == "":
                continue  # "Nederland-breed"
            add_token_candidate(doc, start, end, "LOC", doc.vocab.strings[match_id], "gazetteer", TIER_HEURISTIC)

    def _persons(self, doc: Doc, text: str) -> None:
        for title in self.titles:
            rx = "[" + re.escape(title[0].upper() + title[0].lower()) + "]" + re.escape(title[1:])
            for m in re.finditer(r"(?<![\w])" + rx + r"\s+", text):
                self._person_after(doc, m.end())
        for m in _INITIALS.finditer(text):
            self._person_after(doc, m.end(), start_char=m.start())

    def _person_after(self, doc: Doc, pos: int, start_char: int | None = None) -> None:
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None:
            return
        k = span.start
        n = len(doc)
        parts: list[int] = []
        while k < n and len(parts) < 5:
            t = doc[k]
            if t.lower_ in self.particles and k + 1 < n and is_capitalised(doc[k + 1].text):
                parts.append(k)
                k += 1
                continue
            if is_capitalised(t.text) and t.is_alpha or (t.text in HYPHEN_TOKENS and parts and doc[k - 1].whitespace_ == ""):
                if t.text in self.not_names or is_stop(t.text) or self.index.lookup(t.text):
                    break
                parts.append(k)
                k += 1
                if t.whitespace_ == "" and k < n and doc[k].text in HYPHEN_TOKENS:
                    continue
                if k < n and is_capitalised(doc[k].text) and doc[k].is_alpha and t.text not in HYPHEN_TOKENS:
                    continue
                break
            break
        if not parts or not is_capitalised(doc[parts[-1]].text):
            return
        first = doc.char_span(start_char, start_char + 1, alignment_mode="expand").start if start_char is not None \
            else parts[0]
        surname = doc[parts[0]:parts[-1] + 1].text
        add_token_candidate(doc, first, parts[-1] + 1, "PERSON", "person:" + slug(surname), "person", TIER_HEURISTIC)


def _name_word(tok) -> bool:
    t = tok.text
    if not t or not t[0].isupper() or t in HYPHEN_TOKENS or tok.like_url:
        return False
    if re.search(r"[+/.:=?]", t.rstrip("+")):
        return False  # "Handreiking+gebruik+IAMA", paths and URLs
    if tok.is_alpha or acronym_like(t) or re.fullmatch(r"[A-Z][\w&+'’-]*", t):
        return True
    return False


def _participle(word: str) -> bool:
    return bool(re.fullmatch(r"(?:aan|af|in|op|uit|vast|voor|toe|mee|terug)?ge\w{2,}(?:d|t|en)", word)) and \
        not word.startswith(("gevangenis", "gegevens", "geweld", "gemeente", "gezondheid", "geld", "gebied"))


@Language.factory("bb_patterns")
def make_pattern_entities(nlp: Language, name: str) -> PatternEntities:
    return PatternEntities(nlp, name)
