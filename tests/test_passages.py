"""One passage id = one span: the search index, related passages, allocations and the API cut
sections into the same windows (kb.passages) and name them alike — on the real built collection."""
from __future__ import annotations

from typing import Any

import pytest

from indexer.state import IndexState
from kb.extract_store import read_statements
from kb.passages import Locator, passage_at, passage_of_block, resolve, section_passages, window_ranges
from settings import IndexOptions
from support import section_dict


def test_windows_ids_and_lookups() -> None:
    sec = section_dict(["een twee drie"] * 5)
    opts = IndexOptions(granularity="window", max_words=6, max_blocks=3)
    spans = section_passages(sec, opts)
    assert [(p.block_start, p.block_end) for p in spans] == [(0, 1), (2, 3), (4, 4)]
    assert [p.id for p in spans] == ["doc:sec~p0", "doc:sec~p2", "doc:sec~p4"]
    assert passage_of_block(sec, 3, opts) == spans[1] and passage_at(sec, spans[1].char_start, opts) == spans[1]
    where = Locator(sec, opts)
    assert [where.id_at(p.char_end - 1, "-") for p in spans] == [p.id for p in spans]
    assert where.id_at(spans[0].char_end, "between blocks") == "between blocks"
    assert sec["text"][spans[1].char_start:spans[1].char_end] == "een twee drie\n\neen twee drie"
    # an older single-block id resolves to the window holding the block; a bare id to the only window
    assert resolve(sec, "doc:sec~p3", opts) == spans[1] and resolve(sec, "doc:sec~p9", opts) is None
    assert resolve(sec, "doc:sec", opts) is None  # several windows: the whole section, no window
    one = section_dict(["kort"])
    assert [p.id for p in section_passages(one)] == ["doc:sec"] and resolve(one, "doc:sec").block_end == 0
    assert window_ranges("", []) == []


def test_windows_respect_word_and_block_limits() -> None:
    opts = IndexOptions(granularity="window", max_words=20, max_blocks=3)
    sec = section_dict(["een twee drie vier vijf"] * 7 + [" ".join(["lang"] * 50)] + ["kort"])
    ranges = window_ranges(sec["text"], sec["blocks"], opts)
    covered = [i for a, b in ranges for i in range(a, b + 1)]
    assert covered == list(range(9))  # every block once, in order
    for a, b in ranges:
        words = sum(len(sec["text"][sec["blocks"][i][0]:sec["blocks"][i][1]].split()) for i in range(a, b + 1))
        assert b - a + 1 <= 3
        assert words <= 20 or a == b  # only a single long block may exceed the limit


@pytest.fixture(scope="module")
def index_spans(built_settings) -> dict[str, tuple[str, int, int, int, int]]:
    # through IndexState.stored, the one reader of stored records: the index derives the passage id
    # from the section id and first block instead of storing it
    st = IndexState(built_settings.index_dir)
    try:
        docs = [st.stored(d) for d in range(st.N)]
    finally:
        st.close()
    return {d["id"]: (d["section_id"], d["block_start"], d["block_end"], d["char_start"], d["char_end"])
            for d in docs if d["block_end"] >= d["block_start"]}


def test_index_passages_are_the_knowledge_base_windows(built_store, index_spans) -> None:
    kb_spans = {p.id: (p.section_id, p.block_start, p.block_end, p.char_start, p.char_end)
                for sec in built_store.sections() for p in section_passages(sec)}
    assert index_spans == kb_spans


def test_related_passages_are_the_same_windows(built_store, index_spans) -> None:
    from kb.related import get_index

    idx = get_index(built_store)
    assert idx.passages
    for p in idx.passages:
        assert index_spans[p.id] == (p.section_id, p.block_start, p.block_end, p.start, p.end)


def test_allocation_passages_hold_their_sentence(built_store, index_spans) -> None:
    from kb.allocations import allocations_json

    items = allocations_json(built_store)["allocations"]
    assert items
    for a in items:
        sid, b0, b1, c0, c1 = index_spans[a["passage_id"]]
        assert sid == a["section_id"] and c0 <= a["start"] and a["end"] <= c1


def test_commitment_passages_hold_their_sentence(built_store, index_spans) -> None:
    rows = [r for r in read_statements(built_store, kind="commitment") if r.get("commitment")]
    assert rows
    for r in rows:
        sid, start, pid = r["section_id"], r["start"], r["commitment"]["passage_id"]
        s, _b0, _b1, c0, c1 = index_spans[pid]
        assert s == sid and c0 <= start < c1
