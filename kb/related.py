"""Plan <-> result links: passages of other documents that report on (or plan) the same measure.

Unit of retrieval is the *passage*: one block (paragraph or list item) of a section, id
``kb.passage_ids.passage_id(section_id, block_index)`` (``"{section_id}~p{block_index}"``).  For a query passage we build a weighted query and rank the
passages of every *other* document with a BM25F-style score:

* terms are lower-cased, stemmed (Snowball Dutch), stop words dropped; hyphenated words also
  count by their parts; long compounds are split when both halves are words of the corpus
  ("asielprocedure" -> "asiel" + "procedure", "passagiersgegevens" -> "passagiers" + "gegevens"),
  so "asielproces" and "asielprocedure" share a term;
* the query is the focus passage (the block holding the quote, the quoted sentence counting
  extra), the section's title and breadcrumb, and the rest of the section with a small weight;
  then the aliases of the entities tagged in the focus passage (``mentions`` table) and the
  members of every synonym group the query touches (``kb/cues/synonyms.yaml``);
* a candidate passage is scored on its own text plus its section title (BM25F), plus half the
  score of its best sentence (one sentence saying it all beats words spread over a paragraph);
* statement types: from a plan passage (commitments) we prefer passages with *result* or
  *problem* statements, from a report passage (results) passages with *commitments*;
* shared tagged entities add a bonus weighted by their rarity.

Every item says why it was returned (``reason``: shared terms, synonyms, entities, the
statement type of its best sentence).  The index over a store is built once per store content
and kept in memory, so a lookup takes milliseconds after the first.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kb.passage_ids import passage_id
from kb.sentences import block_spans, split_sentences
from settings import RelatedWeights
from settings.budget import check as check_budget

SYNONYMS_PATH = Path(__file__).resolve().parent / "cues" / "synonyms.yaml"

#: Retrieval parameters (BM25 and the combination of signals): one home, settings.RelatedWeights.
W = RelatedWeights()

_WORD = re.compile(r"[0-9a-zà-öø-ÿ]+(?:['’-][0-9a-zà-öø-ÿ]+)*", re.IGNORECASE)
# "identiteits- en herkomstvaststelling": a word ending in a hyphen, a conjunction, then a word
_ELISION = re.compile(r"\b([0-9a-zà-öø-ÿ]+)-\s+(?:en|of|tot|en/of|dan wel)\s+([a-zà-öø-ÿ]{6,})", re.IGNORECASE)
# "ge" (and separable particle + "ge") at the start of a past participle
_PARTICLE_GE = tuple(p + "ge" for p in ("", "op", "in", "uit", "aan", "af", "door", "mee", "over", "terug", "toe", "voor",
                                         "weg", "samen", "bij", "na", "om", "vast", "vrij", "vooruit", "tegen"))
_EXTRA_STOP = frozenset(
    """
    nl nederland nederlandse wordt worden werd werden zijn is heeft hebben onder meer verder tevens daarnaast
    waarbij hierbij hiervoor hiermee daarmee daarbij hiertoe zowel alsook bijvoorbeeld bijv o.a. etc
    ten behoeve gebied kader onder andere mede ook nog wel jaar jaren 2019 2020 2021 2022 2027 2014
    dit deze die dat het een de van en in op te voor met aan door om als bij uit naar over tot
    zal zullen kan kunnen moet moeten gaat gaan eerste tweede nieuwe nieuw huidige
    inclusief inclusie zoals waaronder betreft betreffende respectievelijk diverse enkele
    the of and for to in on with by an is are be as at from or that this its their all including
    """.split()
)


def _spacy_stop_words() -> set[str]:
    """spaCy's Dutch stop words.  Read from the module file itself when spaCy is not loaded yet:
    importing ``spacy`` costs ~0.7 s, which would land on the first related-passage lookup of
    a web worker; the list is the same either way."""
    import sys

    if "spacy" not in sys.modules:
        try:
            import importlib.util

            spec = importlib.util.find_spec("spacy")
            if spec and spec.origin:
                path = Path(spec.origin).parent / "lang" / "nl" / "stop_words.py"
                ns: dict[str, Any] = {}
                exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), ns)
                return set(ns["STOP_WORDS"])
        except Exception:  # pragma: no cover - fall back to the import
            pass
    try:
        from spacy.lang.nl.stop_words import STOP_WORDS
    except Exception:  # pragma: no cover - spaCy is a dependency, but stay usable without it
        STOP_WORDS = set()
    return set(STOP_WORDS)


def _stopwords() -> frozenset[str]:
    return frozenset(_spacy_stop_words()) | _EXTRA_STOP


STOP = _stopwords()


@lru_cache(maxsize=1)
def _stemmer():
    try:
        from whoosh.lang import stemmer_for_language

        return stemmer_for_language("nl")
    except Exception:  # pragma: no cover
        return lambda w: w


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer()(word)


# -- normalisation and quote lookup ---------------------------------------------------------
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
})


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).translate(_QUOTES).lower()


def normalise_with_map(text: str, *, loose: bool = False) -> tuple[str, list[int]]:
    """Normalised text (case, whitespace, soft hyphens, curly quotes, dashes) and, per character
    of it, the index of the source character.  ``loose`` also drops punctuation and markup."""
    out: list[str] = []
    idx: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if ch in "\u00ad\u200b\u200c\u200d\ufeff":
            continue
        for c in _norm_char(ch):
            if loose and not c.isalnum():
                c = " "
            if c.isspace():
                if space:
                    continue
                c, space = " ", True
            else:
                space = False
            out.append(c)
            idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def normalise(text: str, *, loose: bool = False) -> str:
    return normalise_with_map(text, loose=loose)[0]


# -- tokens ---------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text.translate(_QUOTES))]


@dataclass
class Analyzer:
    """Turns text into weighted index terms: stems, hyphen parts and compound parts."""

    vocab: frozenset[str] = frozenset()
    _split_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _lemma_cache: dict[str, str] = field(default_factory=dict)

    def split_compound(self, word: str) -> tuple[str, ...]:
        """Two corpus words that make up ``word`` ("asielprocedure" -> ("asiel", "procedure")), or ()."""
        if word in self._split_cache:
            return self._split_cache[word]
        best: tuple[str, ...] = ()
        if len(word) >= 9 and word.isalpha():
            score = 0
            for i in range(4, len(word) - 3):
                left, right = word[:i], word[i:]
                if right not in self.vocab:
                    continue
                for lv in (left, left[:-1] if left.endswith("s") else None, left[:-2] if left.endswith("en") else None):
                    if lv and len(lv) >= 4 and lv in self.vocab and lv not in STOP and right not in STOP:
                        s = min(len(lv), len(right))
                        if s > score:
                            score, best = s, (lv, right)
                        break
        self._split_cache[word] = best
        return best

    def elided(self, text: str) -> list[str]:
        """Compounds written out in a coordination with a dropped head ("identiteits- en
        herkomstvaststelling" -> "identiteitsvaststelling", "asiel- en migratiebeleid" ->
        "asielbeleid"): Dutch shares the head of two compounds this way, and the left one is
        otherwise only a fragment."""
        out = []
        for m in _ELISION.finditer(text.translate(_QUOTES)):
            left, right = m.group(1).lower(), m.group(2).lower()
            if len(left) < 3 or left in STOP:
                continue
            head = self._head(right)
            if head:
                out.append(left + head)
        return out

    def _head(self, word: str) -> str:
        """The head of a compound ("herkomstvaststelling" -> "vaststelling"): from a split into two
        corpus words, else after the longest corpus word it starts with (plus a linking s)."""
        parts = self.split_compound(word)
        if parts:
            return parts[1]
        for i in range(len(word) - 4, 3, -1):
            if word[:i] in self.vocab and word[:i] not in STOP:
                rest = word[i + 1:] if word[i] == "s" and len(word) - i > 5 else word[i:]
                return rest if len(rest) >= 4 else ""
        return ""

    def lemma(self, word: str) -> str:
        """Past participles and 3rd-person verb forms to their infinitive when the corpus has it
        ("ontwikkeld" -> "ontwikkelen", "gerealiseerd" -> "realiseren", "versterkt" ->
        "versterken"): plans write the infinitive or the noun, reports the participle, and the
        Snowball stemmer leaves participles alone."""
        if word in self._lemma_cache:
            return self._lemma_cache[word]
        out = word
        if len(word) >= 6 and word[-1] in "dt" and word.isalpha():
            cands = []
            for prefix in _PARTICLE_GE:
                if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                    rest = word[len(prefix):]
                    rest = {"ï": "i", "ë": "e"}.get(rest[0], rest[0]) + rest[1:]
                    cands.append((prefix[:-2] + rest, True))
            cands.append((word, False))  # the ge-less reading last: "gevolgd" is "volgen", not "gevolgen"
            for base, had_ge in cands:
                # a stem may end in t itself ("opgericht" -> "oprichten"); not in d ("gebied" is no "bieden")
                cores = [base[:-1]] if had_ge and base[-1] == "d" else [base[:-1], base]
                for core in cores:
                    if len(core) >= 3 and core[-2] == core[-3] and core[-2] in "aeou" and core[-1] not in "aeiou":
                        core = core[:-2] + core[-1]
                    infs = [core + "en"]
                    if had_ge and len(core) >= 2 and core[-1] not in "aeiou" and core[-2] in "aeiou":
                        infs.append(core + core[-1] + "en")  # "gelegd" -> "leggen"
                    inf = next((i for i in infs if i != word and i in self.vocab), None)
                    if inf:
                        out = inf
                        break
                if out != word:
                    break
        self._lemma_cache[word] = out
        return out

    def stem(self, word: str) -> str:
        return stem(self.lemma(word))

    def terms(self, text: str) -> Counter[str]:
        """Weighted terms: each word's stem (1.0); parts of hyphenated words and compounds (0.5 each)."""
        out: Counter[str] = Counter()
        for w in self.elided(text):
            out[self.stem(w)] += 1.0
        for w in words(text):
            w = w.strip("'-")
            if not w or w in STOP or (len(w) < 2) or w.isdigit():
                continue
            parts = [p for p in re.split(r"['-]", w) if p]
            if len(parts) > 1:
                joined = "".join(parts)
                out[stem(joined)] += 1.0
                for p in parts:
                    if p not in STOP and len(p) > 1 and not p.isdigit():
                        out[self.stem(p)] += 0.5
                        for c in self.split_compound(p):
                            out[stem(c)] += 0.25
                continue
            out[self.stem(w)] += 1.0
            for c in self.split_compound(w):
                out[stem(c)] += 0.5
        return out


# -- synonyms -------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def load_synonyms(path: Path = SYNONYMS_PATH) -> list[list[str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = raw.get("groups", [])
    for i, g in enumerate(groups):
        if not isinstance(g, list) or len(g) < 2 or not all(isinstance(m, str) and m.strip() for m in g):
            raise ValueError(f"{path.name}: group {i + 1} must be a list of at least two phrases")
    return [[m.strip() for m in g] for g in groups]


def _stem_seq(text: str, analyzer: "Analyzer | None" = None) -> tuple[str, ...]:
    st = analyzer.stem if analyzer else stem
    return tuple(st(w) for w in words(text) if w not in STOP or len(words(text)) == 1)


# -- the index ------------------------------------------------------------------------------
@dataclass
class Passage:
    id: str
    section_id: str
    document_id: str
    block_index: int
    start: int
    end: int
    text: str
    title: str
    path: list[str]
    terms: Counter[str]
    title_terms: Counter[str]
    length: float
    sentences: list[tuple[int, int, str, Counter[str]]]  # start, end (in section text), kind, terms
    kinds: Counter[str]
    entities: set[str]
    entity_spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end (section text), entity


@dataclass
class Index:
    key: tuple[Any, ...]
    passages: list[Passage]
    by_section: dict[str, list[int]]
    sections: dict[str, dict[str, Any]]
    doc_titles: dict[str, str]
    df: Counter[str]
    avgdl: float
    analyzer: Analyzer
    entity_df: Counter[str]
    entity_aliases: dict[str, list[str]]
    norm_sections: list[tuple[str, str, list[int], str, list[int]]]  # section id, norm, map, loose, loose map
    synonyms: list[tuple[list[tuple[str, ...]], list[str]]]

    def idf(self, term: str) -> float:
        n = len(self.passages)
        df = self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


_CACHE: dict[str, Index] = {}
_LOCK = threading.Lock()


def _store_key(store: Any) -> tuple[Any, ...]:
    conn = store.conn
    docs = tuple(tuple(r) for r in conn.execute("SELECT id, sha256, fingerprint, section_count FROM documents ORDER BY id"))
    counts = tuple(conn.execute(f"SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM {t}").fetchone()[0] for t in
                   ("sections", "statements", "mentions"))
    return (str(getattr(store, "path", id(store))), docs, counts)


def invalidate(store: Any | None = None) -> None:
    """Forget the cached index (of one store, or all)."""
    with _LOCK:
        if store is None:
            _CACHE.clear()
        else:
            _CACHE.pop(str(getattr(store, "path", id(store))), None)


def get_index(store: Any) -> Index:
    key = _store_key(store)
    name = key[0]
    with _LOCK:
        idx = _CACHE.get(name)
        if idx is not None and idx.key == key:
            return idx
    idx = _build_index(store, key)
    with _LOCK:
        _CACHE[name] = idx
    return idx


def _build_index(store: Any, key: tuple[Any, ...]) -> Index:
    from kb.statements import classify_sentence

    sections = store.sections()
    doc_titles = {d["id"]: d["title"] for d in store.documents()}
    vocab: set[str] = set()
    for s in sections:
        vocab.update(w for w in words(s["text"]) if len(w) >= 4)
        vocab.update(w for w in words(s["title"]) if len(w) >= 4)
    analyzer = Analyzer(frozenset(vocab))
    stored_kinds: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    try:
        for r in store.conn.execute("SELECT section_id, start, end, kind FROM statements"):
            stored_kinds[r[0]].append((r[1], r[2], r[3]))
    except Exception:  # pragma: no cover - no statements table
        pass
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    try:
        for r in store.conn.execute("SELECT section_id, start, end, entity_id FROM mentions WHERE entity_id IS NOT NULL"):
            mentions[r[0]].append((r[1], r[2], r[3]))
    except Exception:  # pragma: no cover
        pass
    aliases: dict[str, list[str]] = {}
    try:
        for e in store.entities():
            aliases[e["id"]] = [e["name"], *e.get("aliases", [])]
    except Exception:  # pragma: no cover
        pass
    if aliases:
        # Only catalogued entities link passages: value mentions (dates, percentages, amounts)
        # carry a type-level id ("date", "percent") that every passage with a year would share.
        mentions = defaultdict(list, {sid: [m for m in ms if m[2] in aliases] for sid, ms in mentions.items()})

    passages: list[Passage] = []
    by_section: dict[str, list[int]] = defaultdict(list)
    norm_sections = []
    sec_map = {}
    for s in sections:
        sid = s["id"]
        sec_map[sid] = s
        text = s["text"]
        n, nmap = normalise_with_map(text)
        lo, lmap = normalise_with_map(text, loose=True)
        norm_sections.append((sid, n, nmap, lo, lmap))
        title_terms = analyzer.terms(s["title"])
        kinds_here = stored_kinds.get(sid)
        for bi, (bs, be, bkind) in enumerate(block_spans(text, s["blocks"])):
            btext = text[bs:be]
            sents = []
            kinds: Counter[str] = Counter()
            for sp in split_sentences(btext, base=bs):
                if kinds_here is not None:
                    kind = next((k for a, b, k in kinds_here if a <= sp.start < b), "other")
                else:
                    kind = classify_sentence(sp.text, block_kind=bkind).kind
                kinds[kind] += 1
                sents.append((sp.start, sp.end, kind, analyzer.terms(sp.text)))
            terms = analyzer.terms(btext)
            spans = [(a, b, e) for a, b, e in mentions.get(sid, []) if a < be and b > bs]
            ents = {e for _a, _b, e in spans}
            p = Passage(passage_id(sid, bi), sid, s["document_id"], bi, bs, be, btext, s["title"], s["path"], terms,
                        title_terms, sum(terms.values()), sents, kinds, ents, spans)
            by_section[sid].append(len(passages))
            passages.append(p)
    df: Counter[str] = Counter()
    entity_df: Counter[str] = Counter()
    for p in passages:
        df.update(set(p.terms) | set(p.title_terms))
        entity_df.update(p.entities)
    avgdl = sum(p.length for p in passages) / max(1, len(passages))
    synonyms = []
    for group in load_synonyms():
        synonyms.append(([_stem_seq(m, analyzer) for m in group], group))
    return Index(key, passages, dict(by_section), sec_map, doc_titles, df, avgdl, analyzer, entity_df, aliases,
                 norm_sections, synonyms)


# -- lookup ---------------------------------------------------------------------------------
def find_passage_by_quote(store: Any, quote: str) -> tuple[str, int | None] | None:
    """(section_id, block_index) of the passage holding ``quote``, or None.

    Case-, whitespace-, soft-hyphen-, quote- and dash-insensitive; when that finds nothing,
    punctuation and markup are ignored too.  A quote found in a section title gives block None.
    """
    idx = get_index(store)
    q = normalise(quote)
    if not q:
        return None
    for loose in (False, True):
        needle = normalise(quote, loose=True) if loose else q
        if not needle:
            continue
        for sid, n, nmap, lo, lmap in idx.norm_sections:
            hay, hmap = (lo, lmap) if loose else (n, nmap)
            pos = hay.find(needle)
            if pos < 0:
                continue
            offset = hmap[pos]
            for i in idx.by_section.get(sid, []):
                p = idx.passages[i]
                if p.start <= offset < p.end:
                    return sid, p.block_index
            return sid, None
        for sid, sec in idx.sections.items():
            if needle in normalise(sec["title"], loose=loose):
                return sid, None
    return None


def _passage_at(idx: Index, section_id: str, block_index: int | None) -> list[Passage]:
    ids = idx.by_section.get(section_id, [])
    if block_index is None:
        return [idx.passages[i] for i in ids]
    return [idx.passages[i] for i in ids if idx.passages[i].block_index == block_index]


def _quoted_sentences(focus: list[Passage], quote: str) -> list[tuple[int, int, Counter[str]]]:
    """Sentences (start, end, terms) of the focus passage that the quote overlaps ([] if not found)."""
    for p in focus:
        for loose in (False, True):
            needle = normalise(quote, loose=loose)
            hay, hmap = normalise_with_map(p.text, loose=loose)
            pos = hay.find(needle) if needle else -1
            if pos < 0:
                continue
            qs, qe = p.start + hmap[pos], p.start + hmap[pos + len(needle) - 1] + 1
            found = [(st, en, sterms) for st, en, _k, sterms in p.sentences if st < qe and en > qs]
            if found:
                return found
    return []


def _add(q: dict[str, float], terms: Counter[str], w: float) -> None:
    """Add terms with weight ``w``; a term repeated in the text counts sublinearly (1 + ln tf),
    so a word a long paragraph repeats does not outweigh the rare words that name the measure."""
    for t, c in terms.items():
        q[t] = q.get(t, 0.0) + w * (1.0 + math.log(c) if c > 1 else c)


def build_query(idx: Index, section_id: str, block_index: int | None, quote: str | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    """Weighted query terms for a passage, and what went into it (for the reasons)."""
    sec = idx.sections[section_id]
    focus = _passage_at(idx, section_id, block_index)
    q: dict[str, float] = {}
    quoted = _quoted_sentences(focus, quote) if quote and block_index is not None else []
    if quoted:
        # The quoted sentence(s) are what the user points at; the rest of a long paragraph is
        # context and must not outvote them (a 150-word paragraph otherwise drowns its quote).
        qterms: Counter[str] = Counter()
        for _st, _en, sterms in quoted:
            qterms.update(sterms)
        _add(q, qterms, W.q_focus + W.q_quote)
        for p in focus:
            rest = p.terms - qterms
            total = sum(rest.values())
            if total:
                _add(q, rest, W.q_focus * min(1.0, W.focus_rest / total))
    else:
        for p in focus:
            _add(q, p.terms, W.q_focus)
        if quote:
            _add(q, idx.analyzer.terms(quote), W.q_quote)
    titles = [t for t in sec["path"][1:]] or [sec["title"]]
    for depth, t in enumerate(reversed(titles)):
        _add(q, idx.analyzer.terms(t), W.q_title * (0.6 ** depth))
    if block_index is not None:
        rest: Counter[str] = Counter()
        for i in idx.by_section.get(section_id, []):
            p = idx.passages[i]
            if p.block_index != block_index:
                rest.update(p.terms)
        total = sum(rest.values())
        if total:
            _add(q, rest, W.q_context * min(1.0, 60.0 / total))
    # entity aliases
    # entities named in the quoted sentence count fully, others in the paragraph half
    entities: dict[str, float] = {}
    for p in focus:
        for a, b, e in p.entity_spans:
            inside = not quoted or any(a < en and b > st for st, en, _t in quoted)
            entities[e] = max(entities.get(e, 0.0), 1.0 if inside else W.entity_outside_quote)
    alias_terms: dict[str, float] = {}
    for e, ew in entities.items():
        for a in idx.entity_aliases.get(e, []):
            for t in idx.analyzer.terms(a):
                alias_terms[t] = max(alias_terms.get(t, 0.0), ew)
    for t, ew in alias_terms.items():
        q[t] = q.get(t, 0.0) + W.q_alias * ew
    # synonyms: match member stem sequences against the focus text (+ titles)
    seq_text = " ".join([p.text for p in focus] + titles + ([quote] if quote else []))
    seq = [idx.analyzer.stem(w) for w in words(seq_text) + idx.analyzer.elided(seq_text) if w not in STOP]
    seq_set = set(seq)
    joined = " " + " ".join(seq) + " "
    fired = []
    for members, raw in idx.synonyms:
        hit = None
        for m, r in zip(members, raw):
            if not m:
                continue
            if (len(m) == 1 and m[0] in seq_set) or (len(m) > 1 and f" {' '.join(m)} " in joined):
                hit = r
                break
        if hit is None:
            continue
        base = max((q.get(t, 0.0) for m in members for t in m if len(m) == 1), default=1.0) or 1.0
        w = W.q_synonym * min(1.0, base)
        for m, r in zip(members, raw):
            for t in m:
                if q.get(t, 0.0) < w:
                    q[t] = q.get(t, 0.0) + w / len(m)
        fired.append({"matched": hit, "group": raw})
    for t in list(q):
        q[t] = min(q[t], W.q_cap)
    focus_kinds: Counter[str] = Counter()
    for p in focus:
        focus_kinds.update(p.kinds)
    info = {"entities": entities, "synonyms": fired, "kinds": focus_kinds}
    return q, info


def _bm25(idx: Index, q: dict[str, float], terms: Counter[str], title_terms: Counter[str], length: float) -> tuple[float, dict[str, float]]:
    norm = W.k1 * (1 - W.b + W.b * length / idx.avgdl)
    score = 0.0
    contrib: dict[str, float] = {}
    for t, w in q.items():
        tf = terms.get(t, 0.0) + W.title_weight * title_terms.get(t, 0.0)
        if tf <= 0:
            continue
        s = w * idx.idf(t) * tf * (W.k1 + 1) / (tf + norm)
        contrib[t] = s
        score += s
    return score, contrib


def _preferred_kinds(focus_kinds: Counter[str], doc_kind: str | None) -> tuple[str, ...]:
    """Plans (commitments) look for results and problems; reports (results) look for commitments."""
    plan = focus_kinds.get("commitment", 0)
    report = focus_kinds.get("result", 0) + focus_kinds.get("problem", 0)
    if doc_kind and re.search(r"verslag|rapportage|evaluatie|voortgang", doc_kind, re.I):
        return ("commitment",)
    if doc_kind and re.search(r"nota|plan|programma|agenda|begroting", doc_kind, re.I):
        return ("result", "problem")
    if report > plan:
        return ("commitment",)
    return ("result", "problem")


def rank(idx: Index, q: dict[str, float], info: dict[str, Any], exclude_document: str, *,
         prefer: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
    results = []
    for p in idx.passages:
        if p.document_id == exclude_document or p.length == 0:
            continue
        score, contrib = _bm25(idx, q, p.terms, p.title_terms, p.length)
        if score <= 0:
            continue
        best_s, best_sent, best_contrib = 0.0, None, {}
        for st, en, kind, sterms in p.sentences:
            s, c = _bm25(idx, q, sterms, Counter(), max(1.0, sum(sterms.values())))
            if s > best_s:
                best_s, best_sent, best_contrib = s, (st, en, kind), c
        total = score + W.sentence_weight * best_s
        bonus = 1.0
        if best_sent and best_sent[2] in prefer:
            bonus += W.kind_bonus
        elif any(p.kinds.get(k, 0) for k in prefer):
            bonus += W.kind_any_bonus
        shared = info["entities"].keys() & p.entities
        ent_bonus = sum(W.entity_bonus * info["entities"][e] * math.log(1 + len(idx.passages) / (1 + idx.entity_df[e]))
                        for e in shared)
        total = total * bonus + ent_bonus
        results.append((total, p, contrib, best_sent, shared))
    results.sort(key=lambda r: (-r[0], r[1].document_id, r[1].id))
    out, per_section = [], Counter()
    for total, p, contrib, best_sent, shared in results:
        if per_section[p.section_id] >= W.max_per_section:
            continue
        per_section[p.section_id] += 1
        out.append(_item(idx, p, total, contrib, best_sent, shared, info, prefer))
        if len(out) >= limit:
            break
    return out


def _surface_terms(p: Passage, stems: list[str], st_fn=None) -> list[str]:
    """Surface words of the passage (or its title) for the given stems, for a readable reason."""
    found = []
    for st in stems:
        for w in words(p.title + " " + p.text):
            if stem(w) == st or (st_fn and st_fn(w) == st) or st in {stem(c) for c in re.split(r"['-]", w)}:
                found.append(w)
                break
        else:
            found.append(st)
    return found


def _item(idx: Index, p: Passage, score: float, contrib: dict[str, float], best_sent: tuple[int, int, str] | None,
          shared: set[str], info: dict[str, Any], prefer: tuple[str, ...]) -> dict[str, Any]:
    top = [t for t, _s in sorted(contrib.items(), key=lambda kv: -kv[1])[:6]]
    terms = _surface_terms(p, top, idx.analyzer.stem)
    stem = idx.analyzer.stem  # noqa: F811 - the index's stems (with participles) for the reason
    syn_words = set()
    for f in info["synonyms"]:
        for m in f["group"]:
            syn_words.update(stem(w) for w in words(m))
    used_syn = [f["matched"] + " ~ " + ", ".join(m for m in f["group"] if m != f["matched"] and any(
        stem(w) in contrib for w in words(m)))[:80] for f in info["synonyms"]
        if any(stem(w) in contrib for m in f["group"] if m != f["matched"] for w in words(m))]
    sec_text = idx.sections[p.section_id]["text"]
    sentence = None
    parts = [f"gedeelde termen: {', '.join(terms)}"] if terms else []
    if used_syn:
        parts.append("synoniemen: " + "; ".join(used_syn))
    if shared:
        names = sorted(idx.entity_aliases.get(e, [e])[0] for e in shared)
        parts.append("gedeelde entiteiten: " + ", ".join(names))
    if best_sent:
        st, en, kind = best_sent
        sentence = {"start": st, "end": en, "kind": kind, "text": sec_text[st:en]}
        label = {"result": "resultaat", "problem": "probleem", "commitment": "voornemen"}.get(kind)
        if label:
            parts.append(f"best passende zin is een {label}" + (" (gezochte soort)" if kind in prefer else ""))
    return {
        "id": p.id, "section_id": p.section_id, "block_index": p.block_index, "document": p.document_id,
        "document_title": idx.doc_titles.get(p.document_id), "title": p.title, "path": p.path,
        "start": p.start, "end": p.end, "text": p.text, "score": round(score, 4), "reason": "; ".join(parts),
        "evidence": {"terms": terms, "synonyms": used_syn, "entities": sorted(shared), "sentence": sentence},
    }


def related_passages(store: Any, section_id: str, block_index: int | None = None, limit: int = 5, *,
                     quote: str | None = None) -> list[dict[str, Any]]:
    """Passages of other documents most related to a passage (one block, or the whole section)."""
    idx = get_index(store)
    if section_id not in idx.sections:
        raise KeyError(section_id)
    check_budget("het zoeken naar verwante passages")  # the request budget (settings.budget); not
    q, info = build_query(idx, section_id, block_index, quote)  # inside get_index, which is built once
    check_budget("het zoeken naar verwante passages")
    doc_id = idx.sections[section_id]["document_id"]
    doc = store.document(doc_id) or {}
    prefer = _preferred_kinds(info["kinds"], doc.get("kind"))
    return rank(idx, q, info, doc_id, prefer=prefer, limit=limit)


def passage_dict(store: Any, section_id: str, block_index: int | None) -> dict[str, Any]:
    idx = get_index(store)
    sec = idx.sections[section_id]
    ps = _passage_at(idx, section_id, block_index)
    text = "\n\n".join(p.text for p in ps) if ps else sec["text"]
    kinds: Counter[str] = Counter()
    for p in ps:
        kinds.update(p.kinds)
    return {
        "id": passage_id(section_id, block_index),
        "section_id": section_id, "block_index": block_index, "document": sec["document_id"],
        "document_title": idx.doc_titles.get(sec["document_id"]), "title": sec["title"], "path": sec["path"],
        "text": text, "statement_kinds": dict(kinds),
    }


def related_json(store: Any, quote: str, limit: int = 5) -> dict[str, Any] | None:
    """``{"passage": {...}, "related": [...]}`` for ``beleidsbank related --json "QUOTE"``; None when no
    passage holds the quote (the CLI and the API turn that into an error / HTTP 404)."""
    found = find_passage_by_quote(store, quote)
    if found is None:
        return None
    sid, bi = found
    return {"passage": passage_dict(store, sid, bi), "related": related_passages(store, sid, bi, limit, quote=quote)}
