"""kb.annotate: a real shipped document, tagged into a real SQLite knowledge base."""
from __future__ import annotations

import pytest

from settings import PROJECT_ROOT
from corpus.loader import load_document
from kb.annotate import annotate_document, discover_definitions
from kb.store import Store
from kb.tagger import build_tagger

CORPUS = PROJECT_ROOT / "corpus" / "documents"
JAARVERSLAG = CORPUS / "jenv-jaarverslag-2020-beleidsverslag.txt"
VALUE_IDS = {"date", "money", "percent"}


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory):
    doc = load_document(JAARVERSLAG, CORPUS)
    db = tmp_path_factory.mktemp("kb") / "beleidsbank.sqlite"
    store = Store(db)
    first = build_tagger(model=None)
    with store.transaction():
        store.put_document(doc)
        store.replace_definitions(doc.id, discover_definitions(doc, first))
    tagger = build_tagger(definitions=store.definitions(), model=None)
    with store.transaction():
        count = annotate_document(store, doc, tagger)
        store.replace_entities(tagger.entity_rows())
    store.close()
    return db, doc, count, tagger


def test_mentions_point_into_section_text(annotated) -> None:
    db, doc, count, _ = annotated
    with Store(db, readonly=True) as store:
        mentions = store.mentions(document_id=doc.id)
        sections = {s["id"]: s for s in store.sections(doc.id)}
    assert count == len(mentions) > 100
    for m in mentions:
        assert sections[m["section_id"]]["text"][m["start"]:m["end"]] == m["surface"], m
    labels = {m["label"] for m in mentions}
    assert {"ORG", "LAW", "SYSTEM", "DATE", "MONEY", "PERCENT"} <= labels


def test_definitions_are_stored_and_link_both_forms(annotated) -> None:
    db, doc, _, _ = annotated
    with Store(db, readonly=True) as store:
        defs = {d["short"]: d for d in store.definitions()}
        mentions = store.mentions(document_id=doc.id)
    assert defs["Wet SenB"]["long"] == "Wet straffen en beschermen" and defs["Wet SenB"]["label"] == "LAW"
    assert defs["MIT"]["long"] == "multidisciplinair interventieteam"
    assert all(d["document_id"] == doc.id and d["section_id"].startswith(doc.id) for d in defs.values())
    senb = {m["entity_id"] for m in mentions if m["surface"] in ("Wet SenB", "Wet straffen en beschermen")}
    assert len(senb) == 1 and None not in senb
    ind = {m["entity_id"] for m in mentions if m["surface"] in ("IND", "Immigratie - en Naturalisatiedienst")}
    assert len(ind) == 1


def test_every_entity_mention_has_an_entity_row(annotated) -> None:
    db, doc, _, _ = annotated
    with Store(db, readonly=True) as store:
        ids = {e["id"]: e for e in store.entities()}
        mentions = store.mentions(document_id=doc.id)
    missing = {m["entity_id"] for m in mentions if m["entity_id"] not in VALUE_IDS} - set(ids)
    assert not missing
    derived = [e for e in ids.values() if e["origin"] in ("definition", "pattern")]
    assert all(e["provenance"] and e["provenance"][0]["document_id"] == doc.id for e in derived)
    assert all(m["value"] for m in mentions if m["label"] in ("MONEY", "PERCENT", "DATE"))
    assert any(m["related"] for m in mentions if m["label"] == "LAW")  # "artikel 137d Sr" etc. or act names


def test_annotating_again_replaces_the_mentions(annotated) -> None:
    db, doc, count, tagger = annotated
    store = Store(db)
    try:
        with store.transaction():
            again = annotate_document(store, doc, tagger)
        assert again == count == len(store.mentions(document_id=doc.id))
    finally:
        store.close()
