"""Index schema and the indexed form of passages.

The retrieval unit is the knowledge base's passage (:mod:`kb.passages`): a window of
consecutive blocks inside one section, with the id every layer uses.  Here a passage gets its
indexed text: the first passage of a section carries the section title in its indexed text; a
long title (a heading that is really a sentence) is also prepended to the stored passage text so
quotes from it can be found and shown (unless the reader already put the full heading into the
first block, kind "heading_text").  The title field of every passage of a section holds the
section's full heading (:func:`section_heading`), so the later passages of a split section keep
their subject.  ``anchor`` is ``"p{first block}"`` (0-based, like the web app's block ids);
``block_start``/``block_end``/``char_start``/``char_end`` locate the passage in its section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh.fields import KEYWORD, STORED, TEXT, Schema
from whoosh.system import emptybytes

from indexer.analysis import DutchAnalyzer, Vocabulary
from indexer.codec import WeightedTerms
from kb.passages import section_passages
from settings import IndexOptions

#: A title with at least this many words is prepended to the stored text of the first passage.
LONG_TITLE_WORDS = 8

#: Scored text fields (BM25F) and the fields listed in the schema.
TEXT_FIELDS = ("text", "title", "path", "document_title", "entity_names", "compounds")


#: The passage's stored record (one tuple, see :func:`pack_passage`): its fields in this order.
PASSAGE_RECORD = ("lead", "split", "block_start", "block_end", "char_start", "char_end", "spans")


class ChainText(TEXT):
    """A TEXT field whose postings come straight from the Dutch chain's token list, in the
    :class:`indexer.codec.WeightedTerms` format (the count as weight, no value).

    Whoosh's own path (the analyzer as a generator of ``Token`` objects, then counting in
    ``Format.word_values``) costs three generator steps per token; counting the chain's
    memoised tokens gives the same (term, frequency, weight, value) rows in one pass."""

    def __init__(self, analyzer, **kwargs) -> None:
        super().__init__(analyzer=analyzer, **kwargs)
        self.format = WeightedTerms(field_boost=self.format.field_boost)

    def index(self, value, **kwargs):
        fmt = self.format
        if not isinstance(value, str) or type(fmt) is not WeightedTerms or not isinstance(self.analyzer, DutchAnalyzer):
            return super().index(value, **kwargs)
        counts: dict[str, int] = {}
        get = counts.get
        for tok in self.analyzer.tokens(value):
            counts[tok.text] = get(tok.text, 0) + 1
        boost = fmt.field_boost
        return [(term.encode("utf-8"), n, n * boost, emptybytes) for term, n in counts.items()]


def _salience_field() -> KEYWORD:
    """Entity ids, each repeated by its salience (the count is the posting's weight)."""
    field = KEYWORD(commas=False, lowercase=False, scorable=True)
    field.format = WeightedTerms(field_boost=field.format.field_boost)
    return field


def make_schema(vocabulary: Vocabulary, options: IndexOptions) -> Schema:
    inline = options.compounds == "inline"
    main = DutchAnalyzer(vocabulary, parts="inline" if inline else "none", stemmer=options.stemmer)
    # Only fields the query side reads postings of are indexed: the scored text fields, ``salience``
    # (entity filter and boost).  Filters and facets on document, kind, year, entities and section use
    # ``arrays.npz`` (the section filter its order keys), so those fields are not indexed: Whoosh spends ~50
    # bytes per term and ~30 per posting list, and the numeric fields alone made a third of all
    # postings.  Word bigrams (phrase search) are not a Whoosh field either: they were four fifths of
    # all terms; they live in a table of bigram keys per bucket (:mod:`indexer.phrase_table`).
    # Postings are written by :class:`indexer.codec.LeanCodec` (counts as weights, short lists inlined).
    # The passage's text, section title and path and the document title are not stored here: they
    # are the knowledge base's (``IndexState.stored`` reads them from there by section), which
    # halves what the index stores.  ``lead`` holds what the passage text has before its slice of
    # the section text (a long title, see :func:`passages_for_section`), when it has anything.
    # Nor is what is derived: the passage id and anchor (from the section id, ``split`` and the first
    # block), the section id (the knowledge base's section of the passage's document and section
    # order, both in ``arrays.npz``), the document, kind and year and the passage's entities (also
    # ``arrays.npz``) are rebuilt by ``IndexState.stored``.  What is left is one tuple a passage
    # (``passage``, :data:`PASSAGE_RECORD`): a dict of named fields spent more on its names than on its
    # values, and the section id was half of the rest (182 -> 68 bytes a passage).
    fields: dict[str, Any] = dict(
        document_title=ChainText(analyzer=main, phrase=False),
        title=ChainText(analyzer=main, phrase=False),
        path=ChainText(analyzer=main, phrase=False),
        text=ChainText(analyzer=main, phrase=False),
        passage=STORED(),
        salience=_salience_field(),
        entity_names=ChainText(analyzer=main, phrase=False),
    )
    if options.compounds == "field":
        fields["compounds"] = ChainText(analyzer=DutchAnalyzer(vocabulary, parts="only", stemmer=options.stemmer),
                                        phrase=False)
    return Schema(**fields)


def pack_passage(lead: str, split: bool, block_start: int, block_end: int, char_start: int, char_end: int,
                 spans: list[tuple[int, int, str]]) -> tuple:
    """A passage's stored record (:data:`PASSAGE_RECORD`): ``split`` is True on the windows of a split
    section (their id is "<section>~p<first block>"); ``spans`` are the entity mentions in the stored
    text, (start, end, entity id)."""
    return (lead, split, block_start, block_end, char_start, char_end, tuple(spans))


def unpack_passage(record: tuple) -> dict[str, Any]:
    """The named fields of a stored record (:func:`pack_passage`)."""
    out = dict(zip(PASSAGE_RECORD, record))
    out["spans"] = list(out["spans"])
    return out


@dataclass
class Passage:
    id: str
    section_id: str
    n: int
    block_start: int
    block_end: int  # inclusive
    char_start: int
    char_end: int
    text: str  # stored plain text (chunk text, long title prepended on the first chunk)
    indexed: str  # indexed text (title + chunk on the first chunk)
    entities: dict[str, float] = field(default_factory=dict)  # entity id -> salience


def passage_lead(p: Passage) -> str:
    """What the stored passage text has before its slice ``[char_start:char_end]`` of the section
    text: the long title and a blank line, the whole title of a section without body, or nothing."""
    return p.text[:len(p.text) - (p.char_end - p.char_start)]


def passage_text(section_text: str, lead: str, char_start: int, char_end: int) -> str:
    """A passage's stored text rebuilt from its section's text (the inverse of :func:`passage_lead`)."""
    return lead + section_text[char_start:char_end]


def _word_count(text: str) -> int:
    return len(text.split())


def passages_for_section(section: dict[str, Any], options: IndexOptions) -> list[Passage]:
    """The section's passages (:func:`kb.passages.section_passages`) with their indexed text."""
    title = (section.get("title") or "").strip()
    text = section["text"]
    spans = section_passages(section, options)
    long_title = _word_count(title) >= LONG_TITLE_WORDS
    if not spans:
        if long_title:  # a heading that is a sentence, with no body: index the heading itself
            return [Passage(section["id"], section["id"], 0, 0, -1, 0, 0, title, title)]
        return []
    out = []
    blocks = section["blocks"]
    # a reader may already have put the full heading text into the first block
    heading_in_text = bool(blocks) and len(blocks[0]) > 2 and blocks[0][2] == "heading_text"
    bare_title = title.rstrip("…. ").strip()
    for sp in spans:
        chunk = text[sp.char_start:sp.char_end]
        shown = chunk
        indexed = chunk
        if sp.n == 0 and title and not heading_in_text:
            indexed = f"{title}\n\n{chunk}"
            if long_title and _norm(bare_title) not in _norm(chunk):
                shown = f"{title}\n\n{chunk}"
        out.append(Passage(sp.id, sp.section_id, sp.n, sp.block_start, sp.block_end, sp.char_start, sp.char_end,
                           shown, indexed))
    return out


def section_heading(section: dict[str, Any]) -> str:
    """The full heading of a section: its title, or, when the reader shortened a sentence-long
    heading into the title ("2. Het positioneren van LO's ... waar…") and kept the whole heading as
    the first block (kind "heading_text"), that block.  Indexed in the title field of every
    passage of the section, so a later passage of a split section keeps its subject."""
    title = (section.get("title") or "").strip()
    blocks = section.get("blocks") or []
    if blocks and len(blocks[0]) > 2 and blocks[0][2] == "heading_text":
        full = section["text"][blocks[0][0]:blocks[0][1]].strip()
        if full:
            return full
    return title


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()
