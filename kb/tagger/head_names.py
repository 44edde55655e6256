"""Capitalised names whose head noun gives the label (kb/patterns/heads.yaml), proposals of ``bb_patterns``.

"Integrale Migratieagenda" PROGRAMME, "Centraal Justitieel Incassobureau" ORG, "Verwijzingsportaal
Bankgegevens" SYSTEM, "directie Consulaire Zaken en Visumbeleid" ORG, and acronym compounds ("CDO-raad"
ORG); kb_id ``<label>-<slug>`` unless the entity index knows the name.  The longest rule set of the
tagger, so it has its own module: where a name starts, how far it runs, where "en" splits it.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .candidates import TIER_HEURISTIC, Candidate, add_token_candidate, sentence_starts, token_texts
from .index import EntityIndex
from .text import (HYPHEN_TOKENS, NAME_CONNECTORS, NATIONAL_ADJECTIVES, WEAK_HEADS, YEARISH, acronym_like, derived_id,
                   heads, is_all_caps, is_capitalised, is_stop, load_yaml, norm_token)

_LOWER_HEADS = {"ministerie", "directie", "programma", "project", "programmadirectoraat", "projectdirectie",
                "directoraat-generaal", "bureau", "dienst", "inspectie", "agentschap", "wetsvoorstel",
                "initiatiefwetsvoorstel", "subsidieregeling"}


class HeadNounNames:
    """Finds names by head noun; ``law_stop`` are the words that end a name of an act (kb/patterns/legal.yaml)."""

    def __init__(self, law_stop: set[str]) -> None:
        self.index = EntityIndex()
        self.law_stop = law_stop

    def acronym_compounds(self, doc: Doc) -> None:
        """"CDO-raad" ORG, "BIG-register" SYSTEM: an acronym the catalogue does not know joined to a head
        noun from ``acronym_compound_heads`` (kb/patterns/heads.yaml); generic acronyms ("AI-register") excluded."""
        data = load_yaml("heads.yaml")
        allowed = {norm_token(h) for h in data.get("acronym_compound_heads") or []}
        generic = {str(a) for a in data.get("generic_acronyms") or []}
        n = len(doc)
        texts = token_texts(doc)
        for i in range(n - 2):
            if texts[i + 1] not in HYPHEN_TOKENS:
                continue  # the common case, told from the text alone
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

    def names(self, doc: Doc) -> list[Candidate]:
        out: list[Candidate] = []
        lex = heads()
        starts = sentence_starts(doc)
        n = len(doc)
        texts = token_texts(doc)
        i = 0
        while i < n:
            text = texts[i]
            if text not in _LOWER_HEADS and not text[:1].isupper():
                i += 1  # neither a lower-case head ("directie") nor a capital: no name starts here
                continue
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
        if label in ("LAW", "PROGRAMME") and b < len(doc) and YEARISH.match(doc[b].text):
            b += 1
        surface = doc[a:b].text
        known = self.index.lookup(surface)
        kb = known if known and self.index.entities[known].label == label else derived_id(label, surface)
        return add_token_candidate(doc, a, b, label, kb, "name", TIER_HEURISTIC, head_first=head_first)


def _name_word(tok) -> bool:
    t = tok.text
    if not t or not t[0].isupper() or t in HYPHEN_TOKENS or tok.like_url:
        return False
    if re.search(r"[+/.:=?]", t.rstrip("+")):
        return False  # "Handreiking+gebruik+IAMA", paths and URLs
    if tok.is_alpha or acronym_like(t) or re.fullmatch(r"[A-Z][\w&+'’-]*", t):
        return True
    return False
