"""Commitments (toezeggingen) in parliamentary language: recognition, flags, who/what/when, storage, status."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kb.extract_store import read_statements
from kb.statements import classify_sentence, default_cues, load_cues, statements_json
from kb.statements.status import commitment_status
from support import PLAN_ID, SHARED

DATA = Path(__file__).parent / "data"
TRAINING = Path(__file__).resolve().parent.parent / "kb" / "cues" / "commitment_sentences.tsv"


def is_commitment(text: str) -> bool:
    return any(s["kind"] == "commitment" for s in statements_json(text)["statements"])


def f1(path: Path) -> float:
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    tp = sum(1 for it in items if it["commitment"] and is_commitment(it["text"]))
    fp = sum(1 for it in items if not it["commitment"] and is_commitment(it["text"]))
    fn = sum(1 for it in items if it["commitment"]) - tp
    return 2 * tp / (2 * tp + fp + fn)


# -- recognition on judged sets ------------------------------------------------------------------
def test_own_held_out_set() -> None:
    data = json.loads((DATA / "heldout_commitments.json").read_text(encoding="utf-8"))
    assert len(data["items"]) >= 100 and sum(it["commitment"] for it in data["items"]) >= 30
    assert f1(DATA / "heldout_commitments.json") >= 0.98


def test_shared_dev_set() -> None:
    gold = SHARED / "eval" / "dev_commitments.json"
    assert gold.exists(), f"{gold}: the shared eval data lies beside the clone"
    assert f1(gold) >= 0.98


@pytest.mark.parametrize("sentence", [
    "Ik zeg u toe dat ik de Kamer voor de zomer informeer.",
    "De minister zegt de Kamer, naar aanleiding van vragen van de leden A (CDA) en B (D66), toe de wet te evalueren.",
    "Uw Kamer wordt uiterlijk in maart geïnformeerd over de uitkomsten.",
    "De beleidsreactie wordt dit najaar aan uw Kamer gezonden.",
    "Ik ben voornemens de regeling te verlengen.",
    "Ik streef ernaar het wetsvoorstel dit jaar in te dienen.",
    "Het kabinet zet zich in om de wachttijden te verkorten.",
    "Minister De Jong heeft toegezegd dat hij gaat onderzoeken of de regeling werkt.",
    "De staatssecretaris heeft de toezegging gedaan de Kamer te informeren.",
    "We gaan dus jaarlijks monitoren.",
    "Net als vorig jaar ontvangt u in december een brief met de voortgang.",
    "Er volgt voor de zomer een brief over de uitwerking.",
])
def test_commitments(sentence: str) -> None:
    assert is_commitment(sentence)


@pytest.mark.parametrize("sentence, why", [
    ("Is de minister bereid om de Kamer te informeren?", "question"),
    ("Kan de staatssecretaris toezeggen dat de evaluatie voor de zomer komt?", "question"),
    ("De commissie verzoekt de regering om toe te zeggen dat zij de Kamer zal informeren.", "request"),
    ("verzoekt de regering, de Kamer te informeren zodra het kabinet zal besluiten,", "request"),
    ("Ik vraag de minister of hij wil toezeggen dat de regering de wet zal evalueren.", "request"),
    ("Wij zullen voor dit wetsvoorstel stemmen.", "member"),
    ("Mijn fractie zal tegen dit wetsvoorstel stemmen.", None),
    ("Ik kan op dit moment niet toezeggen dat de regeling wordt verlengd.", "refusal"),
    ("Hierbij stuur ik u de antwoorden op de vragen van de commissie.", None),
    ("De toegezegde brief is op 4 mei aan de Kamer gezonden.", None),
    ("De verkiezingen vinden plaats op 22 november.", None),
    ("Het aantal aanvragen zal naar verwachting verder stijgen.", None),
    ("We moeten die twee zaken niet door elkaar halen.", None),
])
def test_not_commitments(sentence: str, why: str | None) -> None:
    c = classify_sentence(sentence)
    assert c.kind != "commitment"
    if why:  # a commitment cue was there, and the evidence says why it did not count
        assert why in {v["id"] for v in c.evidence.get("vetoes", [])}


def test_fulfilled_promise_is_a_result_and_a_reported_promise_is_not() -> None:
    assert classify_sentence("Hiermee doe ik mijn toezegging gestand om uw Kamer te informeren over de pilot.").kind == "result"
    assert classify_sentence("Zoals toegezegd stuur ik u hierbij de evaluatie van de regeling.").kind == "result"
    # "heeft de toezegging gedaan" promises something still to be done
    assert classify_sentence("De minister heeft de toezegging gedaan het rapport te sturen.").kind == "commitment"
    # a reference to an earlier promise does not make a sentence a commitment, the new promise does
    assert classify_sentence("Zoals toegezegd zal ik uw Kamer voor de zomer informeren.").kind == "commitment"


def test_negated_and_conditional_commitments_are_kept_and_flagged() -> None:
    (s,) = statements_json("Ik zal de tijdelijke regeling niet verlengen na 1 januari 2025.")["statements"]
    assert s["kind"] == "commitment" and s["negated"] and not s["conditional"]
    (s,) = statements_json("Indien de evaluatie daartoe aanleiding geeft, zal ik de regeling aanpassen.")["statements"]
    assert s["kind"] == "commitment" and s["conditional"] and not s["negated"]


def test_every_cue_has_a_dutch_label_and_users_see_words_not_ids() -> None:
    cues = default_cues()
    assert all(c.label for c in cues.cues)
    assert all(not re.search(r"\b(?:commitment|result|problem)\.", c.label) for c in cues.cues)
    for s in statements_json("De minister zegt toe de Kamer te informeren. Het project is afgerond.")["statements"]:
        assert s["cue"] and "." not in s["cue"].split()[0] and s["cue"] in s["text"]
        assert s["cue_label"] == cues.label(classify_sentence(s["text"]).cue["id"])


def test_anchors_never_hide_a_match() -> None:
    """An anchor only skips cues that cannot match: same kinds with and without anchors."""
    lazy = load_cues(strict=False)
    plain = load_cues()
    for c in plain.cues:
        c.anchor = None
    texts = [line.split("\t")[2] for line in TRAINING.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    for name in ("heldout_commitments.json", "families_commitments.json", "families2_commitments.json"):
        texts += [it["text"] for it in json.loads((DATA / name).read_text(encoding="utf-8"))["items"]]
    for t in texts:
        assert classify_sentence(t, cues=lazy).to_dict() == classify_sentence(t, cues=plain).to_dict(), t


def test_rules_agree_with_our_own_tuning_sentences() -> None:
    """A regression guard: the sentences the cue rules were tuned on (kb/cues/commitment_sentences.tsv)."""
    rows = [line.split("\t") for line in TRAINING.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    wrong = [text for label, _kind, text in rows if is_commitment(text) != (label == "1")]
    assert len(wrong) <= 0.03 * len(rows), wrong


def test_training_sentences_file_is_well_formed() -> None:
    rows = [line.split("\t") for line in TRAINING.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert all(len(r) == 3 and r[0] in ("0", "1") for r in rows)
    held = {it["text"] for it in json.loads((DATA / "heldout_commitments.json").read_text(encoding="utf-8"))["items"]}
    assert not held & {r[2] for r in rows}  # training and held-out sentences are disjoint


# -- who, what, by when ----------------------------------------------------------------------------
def one_commitment(text: str, **kw) -> dict:
    found = [s for s in statements_json(text, **kw)["statements"] if s["kind"] == "commitment"]
    assert len(found) == 1, found
    return found[0]


def test_register_summary_details() -> None:
    text = ("De Minister van Volksgezondheid, Welzijn en Sport zegt de Kamer, naar aanleiding van een vraag van het lid "
            "Kuiper (ChristenUnie), toe de Kamer voor 1 juli 2023 te informeren over de uitkomsten van het onderzoek naar "
            "de wachttijden in de jeugd-ggz.")
    s = one_commitment(text)
    assert s["actor"]["role"] == "minister" and s["actor"]["portfolio"] == "Volksgezondheid, Welzijn en Sport"
    assert s["actor"]["resolved_from"] == "tekst" and text[s["actor"]["start"]:s["actor"]["end"]] == s["actor"]["text"]
    assert s["action"]["lemma"] == "informeren"
    assert s["object"]["text"].startswith("over de uitkomsten van het onderzoek")
    d = s["deadline"]
    assert text[d["start"]:d["end"]] == d["text"] == "voor 1 juli 2023" and d["date_to"] == "2023-06-30"


def test_first_person_resolves_to_the_signature() -> None:
    text = ("Ik stuur uw Kamer binnen drie maanden een kabinetsreactie.\n\n"
            "De Minister van Justitie en Veiligheid,\n\nD. Yeşilgöz-Zegerius")
    s = one_commitment(text, ref=date(2023, 2, 1))
    assert s["actor"]["text"] == "Ik" and s["actor"]["resolved_from"] == "afzender"
    assert s["actor"]["label"] == "minister van Justitie en Veiligheid"
    assert s["action"]["lemma"] == "sturen" and s["object"]["text"] == "een kabinetsreactie"
    assert (s["deadline"]["date_from"], s["deadline"]["date_to"]) == ("2023-02-01", "2023-05-01")
    # without a sender the first person stays unresolved, never guessed
    s = one_commitment("Ik stuur uw Kamer binnen drie maanden een kabinetsreactie.")
    assert s["actor"]["resolved_from"] is None and s["deadline"]["date_to"] is None


@pytest.mark.parametrize("text, lemma, obj", [
    ("De beleidsreactie wordt dit najaar aan uw Kamer gezonden.", "sturen", "De beleidsreactie"),
    ("Deze brief kan ik binnen enkele weken naar uw Kamer verzenden.", "sturen", "Deze brief"),
    ("Ik verwacht u begin juni de kabinetsreactie op het evaluatierapport te kunnen aanbieden.", "aanbieden",
     "de kabinetsreactie op het evaluatierapport"),
    ("Daarnaast laat ik onderzoeken of de drempelbedragen nog passend zijn.", "onderzoeken",
     "of de drempelbedragen nog passend zijn"),
    ("Er komt dit najaar een kabinetsreactie op het rapport.", "sturen", "een kabinetsreactie op het rapport"),
    ("Voor de begrotingsbehandeling kom ik terug op de verdeling van de middelen.", "terugkomen",
     "op de verdeling van de middelen"),
])
def test_action_and_object(text: str, lemma: str, obj: str) -> None:
    s = one_commitment(text)
    assert s["action"]["lemma"] == lemma
    assert s["object"]["text"] == obj and text[s["object"]["start"]:s["object"]["end"]] == obj


def test_reported_commitment_takes_the_promised_deadline_not_the_debate_date() -> None:
    s = one_commitment("In het debat van 7 juli heeft de minister toegezegd om voor de kerst met een evaluatie te komen.",
                       ref=date(2021, 7, 8))
    assert s["actor"]["role"] == "minister"
    assert s["deadline"]["text"] == "voor de kerst" and s["deadline"]["date_to"] == "2021-12-24"


def test_document_context_uses_the_documents_date_and_sender() -> None:
    from corpus.model import Document
    from kb.statements.details import DocumentContext

    doc = Document(id="d", source_path="d.txt", title="Brief", format="text", encoding="utf-8", sha256="",
                   ministry="Ministerie van Financiën", date="2022-02-21")
    ctx = DocumentContext.of_document(doc)
    assert ctx.ref == date(2022, 2, 21)
    assert ctx.sender["label"] == "ministerie van Financiën" and ctx.sender["portfolio"] == "Financiën"


# -- stored with the statement ---------------------------------------------------------------------
def test_commitments_are_stored_with_their_details(built_store) -> None:
    """The real build (tagging, then extraction) stores each commitment's details in ``statements.details``."""
    store = built_store
    rows = read_statements(store, document_id=PLAN_ID, kind="commitment")
    assert rows
    for r in rows:
        com = r["commitment"]
        assert {"actor", "action", "object", "topic", "deadline", "recurrence", "entities", "passage_id"} <= set(com)
        assert com["passage_id"].startswith(r["section_id"])
        # the document says who it comes from: "we" in the plan is the ministry
        assert com["actor"]["label"] and com["actor"]["resolved_from"] in ("tekst", "afzender")
    sender = [r for r in rows if r["commitment"]["actor"]["resolved_from"] == "afzender"]
    assert sender and all(r["commitment"]["actor"]["label"] == "ministerie van Justitie en Veiligheid" for r in sender)
    # entity ids come from the mentions the tagger stored for the sentence
    with_entities = [r for r in rows if r["commitment"]["entities"]]
    assert with_entities
    for r in with_entities:
        ids = {m["entity_id"] for m in store.mentions(section_id=r["section_id"])
               if r["start"] <= m["start"] and m["end"] <= r["end"]}
        assert set(r["commitment"]["entities"]) == ids


# -- status ----------------------------------------------------------------------------------------
def test_commitment_status() -> None:
    com = {"passage_id": "doc:sec~p1", "date": "2021-03-01", "deadline": {"date_to": "2021-06-30"}}
    assert commitment_status(com, date(2021, 5, 1))["status"] == "open"
    assert commitment_status(com, date(2021, 7, 1)) == {"status": "deadline passed", "label": "termijn verstreken",
                                                        "evidence": []}
    assert commitment_status({**com, "deadline": None}, date(2030, 1, 1))["status"] == "open"
    report = {"passage_id": "doc2:sec~p4", "kind": "result", "date": "2021-09-01", "text": "De evaluatie is verstuurd."}
    done = commitment_status(com, date(2021, 10, 1), [report])
    assert done["status"] == "possibly fulfilled" and done["label"] == "mogelijk nagekomen" and done["evidence"] == [report]
    # never fulfilled without evidence that reports doing it, later and elsewhere
    for not_evidence in ({**report, "kind": "commitment"}, {**report, "passage_id": "doc:sec~p1"},
                         {**report, "date": "2020-01-01"}):
        assert commitment_status(com, date(2021, 10, 1), [not_evidence])["status"] == "deadline passed"
