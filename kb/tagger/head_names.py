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
        """The names in the Doc.  The loops read the tokens' texts (:func:`token_texts`): a token's lower
        case, ``is_lower`` and ``is_space`` are those of its text (``str.lower``, ``str.islower``,
        ``str.isspace``, as spaCy's lexical attributes), and its trailing whitespace is at most one space
        (a line break is a token of its own), so no spaCy Token object is made per word."""
        out: list[Candidate] = []
        lex = heads()
        starts = sentence_starts(doc)
        n = len(doc)
        texts = token_texts(doc)
        name_word = _NameWords(doc, texts)
        i = 0
        while i < n:
            text = texts[i]
            if text not in _LOWER_HEADS and not text[:1].isupper():
                i += 1  # neither a lower-case head ("directie") nor a capital: no name starts here
                continue
            lower_head = text.islower() and text.lower() in _LOWER_HEADS
            if not lower_head and not self._name_start(name_word, i, starts[i]):
                i += 1
                continue
            if not lower_head and starts[i] and lex.word_class(text) is None and i + 1 < n \
                    and texts[i + 1].lower() in NAME_CONNECTORS:
                i += 1  # "Conform de Integrale Migratieagenda": a sentence-initial word before "de"
                continue
            first = i
            k = i + 1
            last = i
            van_voor, scanned = False, first  # has the name so far a "van"/"voor" (scanned up to k)?
            if lower_head:
                k2 = k
                while k2 < n and texts[k2].lower() in ("van", "voor", "de", "het") and k2 - k < 2:
                    k2 += 1
                if k2 < n and name_word(k2) and not is_stop(texts[k2]):
                    k = k2
                    last = k2
                    k += 1
                else:
                    i += 1
                    continue
            while k < n:
                word = texts[k]
                if word.isspace():
                    break  # a line break or more spaces: the name ends
                if name_word(k):
                    last = k
                    k += 1
                    continue
                if word in HYPHEN_TOKENS and not (k + 1 < n and texts[k + 1].lower() in ("en", "of")):
                    break  # " - " separates titles ("Signaal Kostendelers - Stichting Inlichtingenbureau");
                    # only the elliptic "Immigratie - en Naturalisatiedienst" continues a name
                if word == ",":
                    while scanned < k:
                        van_voor = van_voor or texts[scanned].lower() in ("van", "voor")
                        scanned += 1
                    if not van_voor:
                        break  # "Archiefwet, Inspectie ...": a list; a comma only inside "Fonds voor Asiel, Migratie en ..."
                if word.islower() and texts[k].lower() in ("de", "het", "der", "den", "the"):
                    break  # an article goes on a name only after a preposition ("Inspectie van het Onderwijs");
                    # right after a name word it starts a new phrase ("heeft BZK het Volkshuisvestingsfonds")
                if texts[k].lower() in NAME_CONNECTORS or word in HYPHEN_TOKENS or word == ",":
                    m = k
                    while m < n and m - k < 3 and (texts[m].lower() in NAME_CONNECTORS or texts[m] in HYPHEN_TOKENS
                                                     or texts[m] == ","):
                        m += 1
                    if m < n and name_word(m) and \
                            (word != "," or any(texts[x].lower() == "en" for x in range(m, min(n, m + 4)))):
                        k = m
                        continue
                break
            for a, b in self._split_on_en(texts, first, last + 1):
                c = self._name_candidate(doc, texts, a, b, lower_head and a == first, starts)
                if c is not None:
                    out.append(c)
            i = max(last + 1, i + 1)
        return out

    @staticmethod
    def _name_start(name_word: "_NameWords", i: int, sent_start: bool) -> bool:
        if not name_word.starts(i):
            return False
        if sent_start and is_stop(name_word.texts[i]):
            return False
        return True

    def _split_on_en(self, texts: list[str], a: int, b: int) -> list[tuple[int, int]]:
        """"Tweede Kamer en Eerste Kamer" are two names; "Raad voor ... en Jeugdbescherming" is one.

        An "en" splits the run when a head noun sits on each side of it (the left side counted
        from the last split).  One pass with running counts, so a chain "IND en COA en ..." of
        any length costs linear time (issue 16 #1)."""
        lex = heads()
        n = b - a
        if n < 3:
            return [(a, b)]
        # prefix counts over the tokens a..b: content words with a head class, and any word with one
        content_cls = [0] * (n + 1)
        any_cls = [0] * (n + 1)
        for i in range(n):
            text = texts[a + i]
            has = lex.word_class(text) is not None
            content = text not in HYPHEN_TOKENS and text.lower() not in NAME_CONNECTORS
            content_cls[i + 1] = content_cls[i] + (has and content)
            any_cls[i + 1] = any_cls[i] + has
        out: list[tuple[int, int]] = []
        start = 0
        for k in range(1, n - 1):
            if k <= start or texts[a + k].lower() != "en" or texts[a + k - 1] in HYPHEN_TOKENS:
                continue
            left = content_cls[k] - content_cls[start]
            right = content_cls[n] - content_cls[k + 1]
            if left and right and any_cls[n] - any_cls[k + 1]:
                out.append((a + start, a + k))
                start = k + 1
        out.append((a + start, b))
        return out

    def _name_candidate(self, doc: Doc, texts: list[str], a: int, b: int, lower_head: bool, starts: list[bool]):
        lex = heads()
        while b > a and (texts[b - 1].lower() in NAME_CONNECTORS or texts[b - 1] in HYPHEN_TOKENS
                         or texts[b - 1] == ","):
            b -= 1
        while a < b and (texts[a].lower() in NAME_CONNECTORS and not lower_head):
            a += 1
        if b <= a:
            return None
        words = [w for w in texts[a:b] if w not in HYPHEN_TOKENS and w != ","]
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
            h = next(k for k in range(b - 1, a - 1, -1) if texts[k] == head_word)
            return self._name_candidate(doc, texts, h, b, False, starts)
        head_first = head_word == content[0] and len(content) > 1
        if lex.is_plural_head(head_word) or any(lex.is_plural_head(w) for w in content[-1:]):
            return None
        hw = norm_token(head_word)
        if len(content) == 1:
            if hw in lex.singular or starts[a] or not (texts[a][:1].isupper()):
                return None  # "Fonds", "Raad" alone; a sentence-initial single word
        if hw in WEAK_HEADS and len(content) == 2 and not head_first and \
                norm_token(content[0]) not in NATIONAL_ADJECTIVES:
            return None  # "Gedelegeerde Instantie", "Management Autoriteit": roles, not names
        n = len(texts)
        if (head_first and hw in lex.singular or lower_head and len(content) == 2) and b < n \
                and texts[b].isalpha() and texts[b].islower() and not is_stop(texts[b]) \
                and norm_token(texts[b]) not in self.law_stop:
            # "Aanpak Bad hosting" (a bare head), "programma Tijdige rechtspraak": the name goes on in lower
            # case; its extent is unknown
            return None
        # a year or period after a LAW/PROGRAMME name belongs to it ("Subsidieregeling AMIF en ISF 2014-2020")
        if label in ("LAW", "PROGRAMME") and b < n and YEARISH.match(texts[b]):
            b += 1
        surface = doc[a:b].text
        known = self.index.lookup(surface)
        kb = known if known and self.index.entities[known].label == label else derived_id(label, surface)
        return add_token_candidate(doc, a, b, label, kb, "name", TIER_HEURISTIC, head_first=head_first)


#: (:func:`_name_word`, may it start a name) by token text: both depend on the text alone (a token's
#: lexical attributes are its word's), and the words of a collection repeat
_NAME_WORDS: dict[str, tuple[bool, bool]] = {}


class _NameWords:
    """``name_word(k)``: :func:`_name_word` of token k; ``starts(k)``: a name word that is not a word in
    capitals other than an acronym ("INLEIDING").  Remembered per text across Docs (bounded)."""

    __slots__ = ("doc", "texts")

    def __init__(self, doc: Doc, texts: list[str]) -> None:
        self.doc, self.texts = doc, texts

    def _known(self, k: int) -> tuple[bool, bool]:
        text = self.texts[k]
        known = _NAME_WORDS.get(text)
        if known is None:
            if len(_NAME_WORDS) >= 200_000:
                _NAME_WORDS.clear()
            word = _name_word(self.doc[k])
            known = _NAME_WORDS[text] = (word, word and not (is_all_caps(text) and len(text) > 1
                                                             and not acronym_like(text)))
        return known

    def __call__(self, k: int) -> bool:
        return self._known(k)[0]

    def starts(self, k: int) -> bool:
        return self._known(k)[1]


def _name_word(tok) -> bool:
    t = tok.text
    if not t or not t[0].isupper() or t in HYPHEN_TOKENS or tok.like_url:
        return False
    if re.search(r"[+/.:=?]", t.rstrip("+")):
        return False  # "Handreiking+gebruik+IAMA", paths and URLs
    if tok.is_alpha or acronym_like(t) or re.fullmatch(r"[A-Z][\w&+'’-]*", t):
        return True
    return False
