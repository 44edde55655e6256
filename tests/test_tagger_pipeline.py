"""The tagger (kb.tagger) as a whole: its JSON shape, batch tagging, offsets on the shipped documents, its
fingerprint, the fallback without a model, and the merge with a statistical NER (no mocks: a real, tiny
spaCy NER is trained for it).  Runs on the small test catalogue (tagger_support.py)."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from settings import PROJECT_ROOT
from kb.tagger import Tagger, build_tagger, tag_json

from tagger_support import TINY_CATALOGUE, check_offsets, ents


# -- API, offsets, fingerprint -------------------------------------------------------------------------
def test_tag_json_shape(tagger: Tagger) -> None:
    out = tag_json("De IND en 20 procent.", tagger)
    assert list(out) == ["entities"]
    assert out["entities"][0] == {"start": 3, "end": 6, "text": "IND", "label": "ORG", "kb_id": "ind",
                                  "related": [], "value": None, "refs": {}, "article": None}
    assert out["entities"][1]["value"] == "20"


def test_tag_many_equals_tag(tagger: Tagger) -> None:
    texts = ["De IND en het COA.", "", "ECRIS-TCN-verordening 2019/816", "Nederland \n\n en de DT&V"]
    assert list(tagger.tag_many(texts)) == [tagger.tag(t) for t in texts]


def test_offsets_hold_on_the_shipped_documents(tagger: Tagger) -> None:
    checked = 0
    for path in sorted((PROJECT_ROOT / "corpus" / "documents").glob("*.*")):
        if path.suffix not in (".md", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n", text):
            check_offsets(block, tagger.tag(block))
        checked += 1
    assert checked, "no shipped .md or .txt document: nothing was checked"


def test_fingerprint_follows_catalogue_and_definitions(catalogue_dir: Path, tagger: Tagger, tmp_path: Path) -> None:
    same = build_tagger(catalogue=catalogue_dir, model=None)
    assert same.fingerprint == tagger.fingerprint
    with_defs = build_tagger(catalogue=catalogue_dir, model=None,
                             definitions=[{"short": "NVA", "long": "Nationale Voedselautoriteit",
                                           "entity_id": "org-nva", "label": "ORG"}])
    assert with_defs.fingerprint != tagger.fingerprint
    other = tmp_path / "cat"
    other.mkdir()
    for name, text in TINY_CATALOGUE.items():
        (other / name).write_text(text.lstrip().replace("Raad van State", "Raad van State der Nederlanden"), "utf-8")
    assert build_tagger(catalogue=other, model=None).fingerprint != tagger.fingerprint
    # The pipeline name is shown to users (build summary, status page): Dutch words only.
    assert tagger.pipeline_name == "spacy.blank('nl') + catalogus + regels"


def test_missing_model_falls_back_to_blank(catalogue_dir: Path) -> None:
    t = build_tagger(catalogue=catalogue_dir, model="nl_core_news_does_not_exist")
    assert t.pipeline_name.startswith("spacy.blank('nl')")
    assert [e.kb_id for e in t.tag("De IND.")] == ["ind"]


# -- statistical NER merge -----------------------------------------------------------------------------
TRAIN = [
    ("Pieter Jansen van de Dienst Terugkeer en Vertrek reisde naar Oosterhesselen.",
     [("Pieter Jansen", "PER"), ("Dienst Terugkeer", "ORG"), ("Oosterhesselen", "LOC")]),
    ("Marieke de Boer woont in Oosterhesselen.", [("Marieke de Boer", "PER"), ("Oosterhesselen", "LOC")]),
    ("Karel Appel bezocht Wapserveen en de IND vandaag.", [("Karel Appel", "PER"), ("Wapserveen", "LOC"), ("IND", "ORG")]),
    ("In Wapserveen sprak Pieter Jansen met de IND vandaag.", [("Wapserveen", "LOC"), ("Pieter Jansen", "PER"), ("IND", "ORG")]),
    ("De Kamer vergaderde over Kerstmis in Oosterhesselen.", [("Kamer", "ORG"), ("Kerstmis", "MISC"),
                                                              ("Oosterhesselen", "LOC")]),
]


def _entities(text: str, spans: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out = []
    for surface, label in spans:
        i = text.index(surface)
        out.append((i, i + len(surface), label))
    return out


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spacy.util.fix_random_seed(7)
    random.seed(7)
    nlp = spacy.blank("nl")
    ner = nlp.add_pipe("ner")
    for label in ("PER", "LOC", "ORG", "MISC"):
        ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": _entities(t, s)}) for t, s in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("model") / "tiny_nl_ner"
    nlp.to_disk(path)
    return path


def test_statistical_entities_are_merged_with_rules_winning(catalogue_dir: Path, tiny_model: Path) -> None:
    tagger = build_tagger(catalogue=catalogue_dir, model=tiny_model)
    assert "ner" in tagger.nlp.pipe_names and "bb_stat_merge" in tagger.nlp.pipe_names
    assert tagger.pipeline_name.endswith("+ catalogus + regels + ner") and str(tiny_model) in tagger.pipeline_name
    text = TRAIN[0][0]
    raw = [(e.text, e.label_) for e in spacy.load(tiny_model)(text).ents]
    assert ("Pieter Jansen", "PER") in raw and ("Dienst Terugkeer", "ORG") in raw  # what the model says
    found = [(e.text, e.label, e.kb_id) for e in ents(tagger, text)]
    assert found == [
        ("Pieter Jansen", "PERSON", "person:pieter-jansen"),  # PER -> PERSON
        ("Dienst Terugkeer en Vertrek", "ORG", "dtenv"),  # the catalogue wins over the model's partial ORG
        ("Oosterhesselen", "LOC", "loc:oosterhesselen"),
    ]
    text = TRAIN[4][0]
    raw = [(e.text, e.label_) for e in spacy.load(tiny_model)(text).ents]
    assert ("Kerstmis", "MISC") in raw and ("Kamer", "ORG") in raw
    assert [(e.text, e.label) for e in ents(tagger, text)] == [("Oosterhesselen", "LOC")]  # MISC dropped, "Kamer" filtered
    assert "person:pieter-jansen" not in {r["id"] for r in tagger.entity_rows()}  # plain tag() records nothing
    tagger.tag(TRAIN[0][0], record=True)
    rows = {r["id"]: r for r in tagger.entity_rows()}
    assert rows["person:pieter-jansen"]["origin"] == "model" and rows["person:pieter-jansen"]["label"] == "PERSON"
