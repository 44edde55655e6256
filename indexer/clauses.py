"""Query words into scored clauses: words, entities, synonyms, phrases, prefixes, fuzzy terms.

A run of plain words becomes one clause per word position; an entity named in the run by any
alias becomes one clause for its words together (the alias counts as a unit) plus the
passages that mention the entity under any other alias.  Question words ("hoeveel", "welke",
...) and, in a question, light verbs ("gaat", "doet") are not searched for.  A word found in
no field is searched as its closest known spellings ("ketenmarniers" -> "ketenmariniers") or,
failing that, as the corpus' compounds it begins ("coffeeshops" -> "coffeeshopketen").
Every such reading is recorded in the query's :class:`~indexer.explain.Explanation`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from indexer.analysis import EXPANSION, JOINPART, PART, PRIMARY, STOP_WORDS, WHOLE, fold
from indexer.explain import Explanation
from indexer.regulations import Regulation, RegulationNames
from indexer.scoring import Bm25f, Sparse, all_of, fold_max
from indexer.state import IndexState
from indexer.statement_kinds import kind_terms
# Question words ("hoeveel BMVI geld ...") are ignored in a run that has other words; light verbs
# ("wat doet de VA") only when the run has a question word (nltext/data/question_words.tsv).
from nltext.lexicon import QUESTION_FILLERS, QUESTION_WORDS
from settings import Limits, Ranking

MAX_TERMS = Limits().max_query_terms
MAX_EXPANSIONS = 50  # terms a prefix expands to (the most frequent)
MAX_SYNONYMS = 12  # alternatives (synonym group members) per query word
#: An unknown word (no match in any field) this long is looked up as its closest known spellings.
AUTO_FUZZY_MIN = 5
_MIN_PART_TAIL = 4  # a compound found for an unknown first part has a tail of at least this many letters
_RESPELL_MAX = 3  # closest spellings searched for an unknown word
_COMPOUND_HEADS_MAX = 5  # compounds searched for an unknown first part


@dataclass
class Clause:
    score: np.ndarray
    match: np.ndarray
    label: str
    #: searched as a guess (closest spellings, compounds it begins): how rare the guesses are says
    #: nothing about how rare the word is, so it counts as an average word of the query
    guessed: bool = False


class ClauseBuilder:
    """Per-query state (what to highlight, the term budget, the explanation) and the clauses."""

    def __init__(self, st: IndexState, ranking: Ranking, explain: Explanation) -> None:
        self.st = st
        self.r = ranking
        self.bm = Bm25f(st, ranking)
        self.explain = explain
        self.highlight_terms: set[str] = set()
        self.highlight_entities: set[str] = set()
        self.term_budget = MAX_TERMS
        self.truncated = False
        self.respelled: list[str] = []  # unknown words searched as their closest spellings
        self.in_not = False  # evaluating an excluded (NOT) term: no synonym expansion
        self.use_synonyms = True
        #: regulation names -> the index's documents of them (set by the searcher from its knowledge base)
        self.regulations: RegulationNames = RegulationNames.empty()
        #: every word clause made, by what it depends on (a count of a similar query reuses them)
        self.clause_memo: dict[tuple, Clause | None] = {}
        #: word clauses of an earlier run of the same state to reuse, or None; only for a run whose
        #: explanation and highlights are not shown (a reused clause records neither)
        self.reuse: dict[tuple, Clause | None] | None = None

    def term_score(self, term: str, fields: tuple[str, ...] | None = None) -> np.ndarray:
        return self.bm.term_score(term, fields)

    def term_sparse(self, term: str, fields: tuple[str, ...] | None = None) -> Sparse:
        return self.bm.term_sparse(term, fields)

    # -- runs of words ----------------------------------------------------------------------
    def clauses_for_words(self, text: str, fields: tuple[str, ...] | None = None) -> list[Clause]:
        """A run of plain words -> one clause per word position (entities merged into one clause)."""
        st = self.st
        toks = list(st.analyzer.tokens(text, with_parts=True))
        by_pos: dict[int, list] = {}
        for t in toks:
            by_pos.setdefault(t.pos, []).append(t)
        # regulations named in the run, then entity mentions (by any alias) elsewhere in it, mapped to
        # word positions via char offsets
        reg_matches = self.regulations.find(text) if fields is None and self.r.regulation_weight > 0 else []
        all_ents = st.matcher.find(text) if fields is None else []
        clauses: list[Clause] = []
        consumed = self._question_positions(text, by_pos)
        for rm, reg in reg_matches:
            # its entity's mentions count only where the entity itself is named as written ("AOW", not "aow")
            named = [em.entity_id for em in all_ents if em.char_start < rm.char_end and rm.char_start < em.char_end
                     and em.entity_id in reg.entity_ids]
            clauses.append(self._regulation_clause(reg, named, rm.char_start, rm.char_end, by_pos, consumed))
        ent_matches = [em for em in all_ents
                       if not any(em.char_start < rm.char_end and rm.char_start < em.char_end for rm, _ in reg_matches)]
        for em in ent_matches:
            clauses.append(self._entity_run_clause(em.entity_id, em.char_start, em.char_end, by_pos, consumed, fields))
        seen_words: set[tuple[str, ...]] = set()
        alts = self.synonym_alternatives(by_pos, consumed) if fields is None and not self.in_not else {}
        for p in sorted(by_pos):
            if p in consumed:
                continue
            key = tuple(sorted(t.text for t in by_pos[p] if t.kind != PART))
            if key in seen_words:  # a repeated word counts once
                continue
            seen_words.add(key)
            if self.term_budget <= 0:
                self.truncated = True
                break
            c = self.word_clause(by_pos[p], fields, alts.get(p))
            if c is not None:
                clauses.append(c)
        return clauses

    def _question_positions(self, text: str, by_pos: dict[int, list]) -> set[int]:
        """Word positions of question words (and, in a question, light verbs) to leave out."""
        question = {p for p, ts in by_pos.items() if ts[0].kind == PRIMARY and ts[0].surface in QUESTION_WORDS}
        is_question = bool(question) or text.rstrip().endswith("?") or bool(
            re.match(r"\s*(?:wat|wie|hoe)\b", fold(text)))
        if is_question:
            question |= {p for p, ts in by_pos.items() if ts[0].kind == PRIMARY and ts[0].surface in QUESTION_FILLERS}
        if question and len(question) < len(by_pos):
            self.explain.reading("question_words",
                                 words=list(dict.fromkeys(by_pos[p][0].surface for p in sorted(question))))
            return set(question)
        return set()

    def _name_words(self, start: int, end: int, by_pos: dict[int, list], consumed: set[int],
                    fields: tuple[str, ...] | None, score: np.ndarray, match: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Add the words of a name spanning ``[start, end)`` to a name's (score, match): the name counts
        as a unit, so its words score only where all of them occur.  Marks their positions consumed."""
        poss = [p for p, ts in by_pos.items() if ts[0].start >= start and ts[0].end <= end]
        word_clauses = [self.word_clause(by_pos[p], fields) for p in sorted(poss) if p not in consumed]
        consumed.update(poss)
        if word_clauses:
            s_words = sum(c.score for c in word_clauses)
            m_words = np.logical_and.reduce([c.match for c in word_clauses])
            score = score + np.where(m_words, s_words, 0).astype(np.float32)
            match = match | m_words
        return score, match

    def _entity_run_clause(self, eid: str, start: int, end: int, by_pos: dict[int, list], consumed: set[int],
                           fields: tuple[str, ...] | None) -> Clause:
        """One clause for an entity named in a run: its mentions, plus its words where all occur."""
        st = self.st
        ent_score, ent_match = self.bm.entity_score(eid)
        score, match = self._name_words(start, end, by_pos, consumed, fields, ent_score, ent_match.copy())
        ent = st.entities[st.ent_pos[eid]]
        self.highlight_entities.add(eid)
        self.explain.reading("entity", id=eid, name=ent["name"])
        return Clause(score, match, f"entity:{eid}")

    def _regulation_clause(self, reg: Regulation, entity_ids: list[str], start: int, end: int,
                           by_pos: dict[int, list], consumed: set[int]) -> Clause:
        """One clause for a regulation named in a run: the passages of its own document (each scores as
        one occurrence of a word that rare, times ``Ranking.regulation_weight``), those that mention it
        (``entity_ids``: its LAW entities named in the query, by salience) and its name's words where all
        of them occur."""
        st = self.st
        own = np.zeros(len(st.doc_ids), bool)
        own[reg.documents] = True
        match = own[st.doc]
        n_own = int(np.count_nonzero(match))
        score = np.where(match, self.r.regulation_weight * self.bm.idf(max(1, n_own)), 0).astype(np.float32)
        for eid in entity_ids:
            ent_score, ent_match = self.bm.entity_score(eid)
            score = np.maximum(score, ent_score)
            match = match | ent_match
            self.highlight_entities.add(eid)
        score, match = self._name_words(start, end, by_pos, consumed, None, score, match)
        self.explain.reading("regulation", bwb=reg.bwb, name=reg.name)
        return Clause(score, match, f"regulation:{reg.bwb}")

    def synonym_alternatives(self, by_pos: dict[int, list], consumed: set[int]) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
        """Query word position -> other members (surface, index terms) of the synonym groups its
        word belongs to.  Only a one-word member fires a group (a multi-word member such as
        "digitale weerbaarheid" does not: spreading its alternatives over each of its words made
        them count as several matched words, measured worse); any member may be an alternative.
        Empty when off (``Ranking.synonym_weight`` 0)."""
        if self.r.synonym_weight <= 0 or not self.use_synonyms:
            return {}
        try:
            from indexer.synonyms import load_groups
            syn = load_groups(self.st.analyzer)
        except Exception:  # a broken data file must not break search
            return {}
        order = [p for p in sorted(by_pos) if p not in consumed]
        main = {p: [t.text for t in by_pos[p] if t.kind in (PRIMARY, WHOLE)] for p in order}
        fired: dict[int, dict[int, set[tuple[str, ...]]]] = {}  # pos -> group -> members that fired
        for p in order:
            for t in main[p]:
                for gi in syn.single.get(t, ()):
                    fired.setdefault(p, {}).setdefault(gi, set()).add((t,))
        out: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
        for p, groups in fired.items():
            own = {(t,) for t in main[p]}
            lst: list[tuple[str, tuple[str, ...]]] = []
            seen: set[tuple[str, ...]] = set(own)
            for gi, hit in groups.items():
                for surface, terms in syn.groups[gi]:
                    if terms in seen or terms in hit:
                        continue
                    seen.add(terms)
                    lst.append((surface, terms))
            if lst:
                out[p] = lst[:MAX_SYNONYMS]
        return out

    # -- one word -------------------------------------------------------------------------
    def word_clause(self, toks: list, fields: tuple[str, ...] | None = None,
                    alternatives: list[tuple[str, tuple[str, ...]]] | None = None) -> Clause | None:
        """The best of a word's readings: itself, its completed ellipsis, its joined parts, the
        compounds it is part of, its own parts, and its synonyms (each at its ranking weight)."""
        key = (id(self.st), tuple((t.text, t.kind, t.surface) for t in toks), fields, tuple(alternatives or ()),
               self.in_not)
        if self.reuse is not None and key in self.reuse:
            self.term_budget -= 1
            return self.reuse[key]
        clause = self._word_clause(toks, fields, alternatives)
        self.clause_memo[key] = clause
        return clause

    def _word_clause(self, toks: list, fields: tuple[str, ...] | None,
                     alternatives: list[tuple[str, tuple[str, ...]]] | None) -> Clause | None:
        r = self.r
        self.term_budget -= 1
        main_terms = [t.text for t in toks if t.kind in (PRIMARY, WHOLE)]
        expansions = [t.text for t in toks if t.kind == EXPANSION]
        joinparts = [t.text for t in toks if t.kind == JOINPART]
        parts = [t.text for t in toks if t.kind == PART]
        surface = next((t.surface for t in toks if t.kind in (PRIMARY, WHOLE)), toks[0].surface)
        self.explain.words.append(surface)
        # the readings' scores are folded in one by one (the maximum), each touching only its passages
        score = self.bm.zeros()
        for t in dict.fromkeys(main_terms):
            fold_max(score, self.term_sparse(t, fields))
            self.highlight_terms.add(t)
        for t in dict.fromkeys(expansions):
            fold_max(score, self.term_sparse(t, fields), r.expansion_weight)
            self.highlight_terms.add(t)
        if joinparts and any(t.kind == WHOLE for t in toks):
            sub = [self.term_sparse(t, fields) for t in dict.fromkeys(joinparts)]
            fold_max(score, all_of(sub), r.joinpart_weight)
            # one part alone ("DNA" of "DNA-afname" where the text says "DNA-profiel") still counts, less
            for part in sub:
                fold_max(score, part, r.hyphen_part_weight)
            self.highlight_terms.update(joinparts)
        elif joinparts:  # glued form of a hyphenated word
            for t in dict.fromkeys(joinparts):
                fold_max(score, self.term_sparse(t, fields), r.joinpart_weight)
        if fields is None and "compounds" in self.st.fields:
            for t in dict.fromkeys(main_terms):
                fold_max(score, self.term_sparse(t, ("compounds",)), r.compound_weight)
        if parts and fields is None:
            sub = [self.term_sparse(t) for t in dict.fromkeys(parts)]
            fold_max(score, all_of(sub, mean=True), r.parts_weight)
            self.highlight_terms.update(parts)
        if not main_terms and not expansions and not joinparts:
            return None
        if alternatives and fields is None:
            score = self._synonyms(score, alternatives)
        if fields is None and not self.in_not:
            score = self._statement_kind(surface, main_terms, score)
        guessed = False
        if (not score.any() and len(main_terms) == 1 and not joinparts and surface.isalpha()
                and len(surface) >= AUTO_FUZZY_MIN and surface not in STOP_WORDS):
            score = self._respell(surface, fields, score)
            guessed = bool(score.any())
        return Clause(score, score > 0, surface, guessed)

    def _synonyms(self, score: np.ndarray, alternatives: list[tuple[str, tuple[str, ...]]]) -> np.ndarray:
        used = []
        for alt_surface, terms in alternatives:
            alt = self.bm.member_sparse(terms)
            if alt.vals.any():
                fold_max(score, alt, self.r.synonym_weight)
                self.highlight_terms.update(terms)
                used.append(alt_surface)
        self.explain.synonyms.extend(used)
        return score

    def _statement_kind(self, surface: str, terms: list[str], score: np.ndarray) -> np.ndarray:
        """A word naming a statement kind ("toezeggingen") also finds the passages holding such
        statements, scored by how many (``Ranking.statement_weight``)."""
        if self.r.statement_weight <= 0 or not self.st.statement_kinds:
            return score
        kind = kind_terms(self.st.analyzer).kind_of(terms)
        if kind is None:
            return score
        kind_score, _ = self.bm.statement_score(kind)
        if not kind_score.any():
            return score
        self.explain.reading("statement_kind", word=surface, kind=kind)
        return np.maximum(score, kind_score)

    def _alternative(self, word: str, weight: float, fields, score: np.ndarray) -> np.ndarray:
        """Fold a stand-in word for an unmatched query word into ``score`` at ``weight``."""
        for t in self.st.analyzer.tokens(word, with_parts=False):
            if t.kind in (PRIMARY, WHOLE):
                fold_max(score, self.term_sparse(t.text, fields), weight)
                self.highlight_terms.add(t.text)
        return score

    def _respell(self, surface: str, fields, score: np.ndarray) -> np.ndarray:
        """A word found nowhere (a typo: "ketenmarniers") is searched as its closest known spellings."""
        spelling = self.st.spelling
        if surface in spelling.words:
            return score
        cands = spelling.close_words(surface, 1 if len(surface) < 8 else 2, limit=8)
        if not cands:
            return self._compound_heads(surface, fields, score)
        best = cands[0][1]
        used = []
        for c, dist, _ in cands:
            if dist > best or len(used) >= _RESPELL_MAX:
                break
            score = self._alternative(c, self.r.fuzzy_weight, fields, score)
            used.append(c)
        if used:
            self.respelled.append(surface)
            self.explain.note("respelled", word=surface, searched=used)
        return score

    def _compound_heads(self, surface: str, fields, score: np.ndarray) -> np.ndarray:
        """A word found nowhere that begins compounds of the corpus ("coffeeshops" ->
        "coffeeshopketen"): searched as those compounds (the most frequent few)."""
        st = self.st
        stem = st.analyzer.stem(surface)
        if len(stem) < AUTO_FUZZY_MIN:
            return score
        words = st.spelling.words
        heads = sorted((w for w in st.spelling.words_with_prefix(stem) if len(w) >= len(stem) + _MIN_PART_TAIL),
                       key=lambda w: (-words[w], w))[:_COMPOUND_HEADS_MAX]
        for w in heads:
            score = self._alternative(w, self.r.compound_weight, fields, score)
        if heads:
            self.respelled.append(surface)
            self.explain.note("compound_heads", word=surface, searched=heads)
        return score

    # -- phrases, prefixes, fuzzy terms -------------------------------------------------------
    def phrase_clause(self, text: str) -> Clause | None:
        toks = [t for t in self.st.analyzer.tokens(text) if t.kind in (PRIMARY, WHOLE)]
        if not toks:
            return None
        seq: list[str] = []  # one primary term per position
        last = None
        for t in toks:
            if t.pos != last:
                seq.append(t.text)
                last = t.pos
        self.term_budget -= len(seq)
        self.highlight_terms.update(seq)
        if len(seq) == 1:
            score = self.term_score(seq[0])
            self.explain.words.append(toks[0].surface or seq[0])
            return Clause(score, score > 0, f'"{text}"')
        score, match = self.bm.phrase_score(seq)
        self.explain.reading("phrase", text=text)
        return Clause(score, match, f'"{text}"')

    def prefix_clause(self, text: str) -> Clause | None:
        st = self.st
        terms = st.prefix_terms("text", fold(text))
        if len(terms) > MAX_EXPANSIONS:
            df = {t: st.doc_frequency("text", t) for t in terms}
            terms.sort(key=lambda t: (-df[t], t))
            terms = terms[:MAX_EXPANSIONS]
            self.explain.note("prefix_capped", text=text, limit=MAX_EXPANSIONS)
        self.term_budget -= 1
        score = self.bm.zeros()
        for t in terms:
            fold_max(score, self.term_sparse(t), self.r.prefix_weight)
        self.highlight_terms.update(terms)
        self.explain.reading("prefix", text=text)
        return Clause(score, score > 0, f"{text}*")

    def fuzzy_clause(self, text: str, dist: int) -> Clause | None:
        st = self.st
        w = fold(text)
        cands = [w] + [c for c, _, _ in st.spelling.close_words(w, dist, limit=20)]
        self.term_budget -= 1
        score = self.bm.zeros()
        used = []
        for c in cands:
            for t in st.analyzer.tokens(c):
                if t.kind in (PRIMARY, WHOLE):
                    weight = 1.0 if c == w else self.r.fuzzy_weight
                    fold_max(score, self.term_sparse(t.text), weight)
                    self.highlight_terms.add(t.text)
                    used.append(c)
        self.explain.reading("fuzzy", text=text, used=used[:5])
        return Clause(score, score > 0, f"{text}~", guessed=True)
