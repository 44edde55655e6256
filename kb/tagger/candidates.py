"""Entity candidates proposed by the components and read by the overlap resolver.

Each component appends :class:`Candidate` objects to ``doc._.bb_candidates``; ``bb_resolve`` picks a
non-overlapping set, writes them to ``doc.ents`` (label, ``kb_id_``) and keeps ``related``/``value`` in
``doc._.bb_meta`` (read through ``span._.bb_related`` / ``span._.bb_value``).

Tiers (lower wins where the resolver has to choose between equally long spans):
    0  catalogue and definitions (known entities)
    1  precise rules: legal references, acronym compounds, amounts, dates
    2  heuristics: capitalised names with a head noun, "Wet ..." names, places, persons
    3  statistical NER
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

TIER_KNOWN, TIER_RULE, TIER_HEURISTIC, TIER_MODEL = 0, 1, 2, 3


@dataclass
class Candidate:
    start: int  # token index
    end: int  # token index (exclusive)
    start_char: int
    end_char: int
    label: str
    kb_id: str | None
    source: str
    tier: int
    related: list[str] = field(default_factory=list)
    value: str | None = None
    head_first: bool = False  # heuristic names: the head noun starts the name ("Fonds voor ...")
    refs: dict[str, str] | None = None  # official identifier of a cited regulation: {"bwb": ...} / {"celex": ...}
    article: str | None = None  # article reference of a citation ("49, eerste lid")

    @property
    def length(self) -> int:
        return self.end_char - self.start_char

    def contains(self, other: "Candidate") -> bool:
        return self.start_char <= other.start_char and other.end_char <= self.end_char


def _meta_getter(key: str):
    def get(span: Span):
        meta = span.doc._.bb_meta or {}
        return meta.get((span.start_char, span.end_char), {}).get(key)

    return get


def register_extensions() -> None:
    if not Doc.has_extension("bb_candidates"):
        Doc.set_extension("bb_candidates", default=None)
    if not Doc.has_extension("bb_definitions"):
        Doc.set_extension("bb_definitions", default=None)
    if not Doc.has_extension("bb_new_entities"):
        Doc.set_extension("bb_new_entities", default=None)
    if not Doc.has_extension("bb_meta"):
        Doc.set_extension("bb_meta", default=None)
    if not Doc.has_extension("bb_sent_starts"):
        Doc.set_extension("bb_sent_starts", default=None)
    if not Doc.has_extension("bb_text"):
        Doc.set_extension("bb_text", default=None)
    if not Doc.has_extension("bb_token_texts"):
        Doc.set_extension("bb_token_texts", default=None)
    if not Span.has_extension("bb_related"):
        Span.set_extension("bb_related", getter=_meta_getter("related"))
    if not Span.has_extension("bb_value"):
        Span.set_extension("bb_value", getter=_meta_getter("value"))


register_extensions()


def _key(name: str) -> tuple[str, str, None, None]:
    """Where ``doc._.<name>`` keeps its value in ``doc.user_data`` (spaCy's Underscore): the hot helpers
    below read and write it there directly, without a new Underscore object on every access."""
    return ("._.", name, None, None)


_TEXT, _TOKEN_TEXTS, _SENT_STARTS, _CANDIDATES = map(_key, ("bb_text", "bb_token_texts", "bb_sent_starts",
                                                            "bb_candidates"))


def make_doc(nlp: Language, text: str) -> Doc:
    """The tokenized Doc of ``text``, which remembers the text (:func:`doc_text` need not rebuild it)."""
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT] = text  # spaCy's tokenizer keeps every character: doc.text == text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy builds it from a new Token object per token on every
    access, and several components ask (merging tokens never changes the text)."""
    data = doc.user_data
    text = data.get(_TEXT)
    if text is None:
        text = data[_TEXT] = doc.text
    return text


def token_texts(doc: Doc) -> list[str]:
    """The tokens' texts, listed once per Doc: rule loops test these plain strings first and build a
    spaCy Token (``doc[i]``, a new object on every access) only for the few tokens that pass.  Cut from
    the text by the tokens' offsets and lengths (one array from the Doc) rather than read from Tokens."""
    data = doc.user_data
    texts = data.get(_TOKEN_TEXTS)
    if texts is None or len(texts) != len(doc):
        text = doc_text(doc)
        texts = data[_TOKEN_TEXTS] = [text[i:i + n] for i, n in doc.to_array([IDX, LENGTH]).tolist()] \
            if len(doc) else []
    return texts


def candidates(doc: Doc) -> list[Candidate]:
    data = doc.user_data
    found: list[Candidate] | None = data.get(_CANDIDATES)
    if found is None:
        found = data[_CANDIDATES] = []
    return found


def add_char_candidate(doc: Doc, start_char: int, end_char: int, label: str, kb_id: str | None, source: str,
                       tier: int, *, related: list[str] | None = None, value: str | None = None,
                       head_first: bool = False, refs: dict[str, str] | None = None,
                       article: str | None = None) -> Candidate | None:
    """Add a candidate given by character offsets, aligned outwards to token boundaries."""
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return add_token_candidate(doc, span.start, span.end, label, kb_id, source, tier, related=related, value=value,
                               head_first=head_first, refs=refs, article=article)


def add_token_candidate(doc: Doc, start: int, end: int, label: str, kb_id: str | None, source: str, tier: int, *,
                        related: list[str] | None = None, value: str | None = None,
                        head_first: bool = False, refs: dict[str, str] | None = None,
                        article: str | None = None) -> Candidate | None:
    if end <= start:
        return None
    cand = Candidate(
        start=start, end=end, start_char=doc[start].idx, end_char=doc[end - 1].idx + len(doc[end - 1].text),
        label=label, kb_id=kb_id, source=source, tier=tier, related=list(related or []), value=value,
        head_first=head_first, refs=refs, article=article,
    )
    candidates(doc).append(cand)
    return cand


_SENT_END = {".", "!", "?", ":", ";", "…"}
_BULLETS = {"-", "–", "—", "•", "*", "·", "‒"}
_OPEN = {"(", "‘", "“", "'", '"', "«", "["}


def sentence_starts(doc: Doc) -> "SentenceStarts":
    """``starts[i]``: True for tokens that open a sentence, line, list item or heading (where capitals say
    nothing).  Decided per token when first asked: the rules ask it of a few tokens (capitalised words,
    catalogue matches), not of every one."""
    cached = doc.user_data.get(_SENT_STARTS)
    if cached is not None and len(cached) == len(doc):
        return cached
    starts = doc.user_data[_SENT_STARTS] = SentenceStarts(doc)
    return starts


class SentenceStarts:
    """The sentence-start flags of a Doc's tokens (see :func:`sentence_starts`), each from the text of the
    nearest token before it that is no whitespace (plain strings: a Token is built only for the rare short
    token after which a number test is needed, "2. Tekst"); spaCy's ``is_space`` is ``str.isspace`` of the
    text, and a token's trailing whitespace is at most one space (newlines are tokens of their own)."""

    __slots__ = ("doc", "texts", "known")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.texts = token_texts(doc)
        self.known: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int) -> bool:
        texts, known = self.texts, self.known
        if i < 0:
            i += len(texts)
        if not 0 <= i < len(texts):
            raise IndexError(i)
        inherit: list[int] = []  # tokens that take the flag of the one they follow ("- Tekst", "‘Tekst")
        while True:
            flag = known.get(i)
            if flag is not None:
                break
            if texts[i].isspace():
                flag = False
                break
            j, newline = i - 1, False  # the last token before i that is no whitespace; a line break between?
            while j >= 0 and texts[j].isspace():
                newline = newline or "\n" in texts[j]
                j -= 1
            if j < 0:
                flag = True  # the start of the text
                break
            prev = texts[j]
            if newline or prev in _SENT_END or prev.endswith("."):
                flag = True
                break
            if prev in _BULLETS or prev in _OPEN or len(prev) <= 2 and self.doc[j].like_num:
                inherit.append(i)  # "- Tekst", "‘Tekst", "2. Tekst" inherit the start of what they open
                i = j
                continue
            flag = False
            break
        known[i] = flag
        for k in inherit:
            known[k] = flag
        return flag
