"""Search behaviour on an index of the shipped corpus: query language, entities, facets, paging,
snippets, suggestions and robustness against malformed input.

The index is the one the real pipeline (readers + tagger) built for the session
(``built_settings`` in conftest.py)."""
from __future__ import annotations

import json
import re
import threading

import pytest

from corpus.loader import load_document
from indexer import Searcher, search_json
from indexer.build import build_index
from indexer.cli_format import format_results
from indexer.entities import AliasMatcher
from kb.store import Store
from settings import PROJECT_ROOT
from webapp.search_wording import interpreted, with_interpretation

CORPUS = PROJECT_ROOT / "corpus" / "documents"
RESULT_KEYS = {"id", "section_id", "document", "document_title", "title", "path", "score", "snippet", "text",
               "entities", "anchor", "year", "kind", "more_in_section"}


@pytest.fixture(scope="module")
def kb(built_settings, built_store):
    return {"store": built_store, "index": built_settings.index_dir}


def entity_id_for(store: Store, alias: str) -> str | None:
    """The id of the entity that has ``alias`` as name or alias (tests stay id-agnostic)."""
    return AliasMatcher(store.entities()).resolve(alias)


@pytest.fixture(scope="module")
def s(kb) -> Searcher:
    return Searcher(kb["index"], kb["store"])


def texts(res) -> list[str]:
    return [r["text"] for r in res["results"]]


def norm(t: str) -> str:
    return re.sub(r"\s+", " ", t).lower()


def test_result_shape(s):
    res = s.search("achterstanden IND", limit=3)
    assert set(res) == {"query", "total", "passages", "results", "page", "facets", "suggestion", "explain", "took_ms"}
    assert res["query"] == "achterstanden IND" and res["total"] >= len(res["results"]) > 0
    for r in res["results"]:
        assert RESULT_KEYS <= set(r)
        assert isinstance(r["path"], list) and isinstance(r["score"], float) and r["text"]
        assert all(set(e) == {"id", "label", "name"} for e in r["entities"])
    assert "IND" in res["results"][0]["text"] and "achterstand" in res["results"][0]["text"]
    assert set(res["facets"]) == {"document", "type", "entity_type", "entity", "year", "statement"}
    assert json.loads(search_json(s, "telehoren", 2))["results"]


def test_alias_query_finds_other_alias(s, kb):
    ind = entity_id_for(kb["store"], "IND")
    assert ind, "the entity table has no IND"
    res = s.search("Immigratie- en Naturalisatiedienst", limit=50)
    only_acronym = [t for t in texts(res) if "IND" in t and "naturalisatiedienst" not in norm(t)]
    assert only_acronym, "no passage that names the IND only by its acronym"
    ees = s.search("Entry-Exit System", limit=10)
    assert any("uitreisysteem (EES)" in t or "uitreissysteem (EES)" in t for t in texts(ees))


def test_entity_salience_ranks_central_passages_first(s):
    res = s.search("IND", limit=5)
    top = res["results"][0]["text"]
    counts = [r["text"].count("IND") for r in res["results"]]
    assert top.count("IND") == max(counts)


def test_phrase_and_not_and_or(s):
    phrase = s.search('"vrouwelijke statushouders"', limit=50)
    assert phrase["total"] > 0 and all("vrouwelijke statushouders" in norm(t) for t in texts(phrase))
    words = s.search("vrouwelijke statushouders", limit=50)
    assert words["total"] >= phrase["total"]
    neg = s.search("statushouders -vrouwelijke", limit=50)
    assert neg["total"] > 0 and not any("vrouwelijk" in norm(t) for t in texts(neg))
    neg2 = s.search("statushouders NOT vrouwelijke", limit=50)
    assert neg2["total"] == neg["total"]
    a, b = s.search("telehoren")["total"], s.search("noodstopprocedure")["total"]
    both = s.search("telehoren OR noodstopprocedure", limit=50)
    assert both["total"] == a + b  # disjoint in this corpus
    must = s.search("telehoren AND opvang", limit=50)
    assert 0 < must["total"] <= a and all("opvang" in norm(t) for t in texts(must))


def test_prefix_and_fuzzy(s):
    pre = s.search("noodstop*", limit=5)
    assert pre["total"] > 0 and "noodstopprocedure" in norm(pre["results"][0]["text"])
    fz = s.search("noodstopprocedur~", limit=5)
    assert fz["total"] > 0 and "noodstopprocedure" in norm(fz["results"][0]["text"])
    assert s.search("kinderporrno~", limit=5)["total"] > 0


def test_compound_queries(s):
    res = s.search("terugkeer", limit=100)
    assert any("terugkeerbeleid" in norm(t) or "terugkeerprocedures" in norm(t) for t in texts(res))
    a = s.search("asielaanvraag", limit=50)
    assert any("asielaanvragen" in norm(t) for t in texts(a))


def test_field_filters_and_filter_dict(s, kb):
    docs = kb["store"].documents()
    jv = next(d for d in docs if d["year"] == 2020)
    res = s.search(f"migratie document:{jv['id']}", limit=100)
    assert res["total"] > 0 and {r["document"] for r in res["results"]} == {jv["id"]}
    same = s.search("migratie", filters={"document": jv["id"]}, limit=100)
    assert same["total"] == res["total"]
    y = s.search("migratie jaar:2020", limit=100)
    assert y["total"] > 0 and all(r["year"] == 2020 for r in y["results"])
    rng = s.search("migratie jaar:2019-2021", limit=100)
    assert rng["total"] == s.search("migratie")["total"]
    kind = jv["kind"]
    if kind:
        k = s.search(f"migratie type:{kind}", limit=100)
        assert k["total"] > 0 and all(r["kind"] == kind for r in k["results"])
    ind = entity_id_for(kb["store"], "IND")
    e1 = s.search("achterstanden entiteit:IND", limit=100)
    e2 = s.search("achterstanden", filters={"entity": ind}, limit=100)
    assert 0 < e1["total"] == e2["total"] < s.search("achterstanden")["total"]
    assert all(ind in {e["id"] for e in r["entities"]} for r in e1["results"])
    # filters combine with AND
    both = s.search("migratie", filters={"document": jv["id"], "year": 1999})
    assert both["total"] == 0


def test_filter_only_query(s, kb):
    ind = entity_id_for(kb["store"], "IND")
    res = s.search("", filters={"entity": ind}, limit=5)
    assert res["total"] > 0
    assert res["total"] == s.search(f"entiteit:{ind}")["total"]


def test_facets_consistent_with_total(s):
    for q in ("migratie", "IND", '"vrouwelijke statushouders"', "telehoren OR noodstopprocedure"):
        res = s.search(q, limit=3)
        f = res["facets"]
        assert sum(x["count"] for x in f["document"]) == res["total"]
        assert sum(x["count"] for x in f["type"]) == res["total"]
        assert sum(x["count"] for x in f["year"]) == res["total"]
        assert all(0 < x["count"] <= res["total"] for x in f["entity"] + f["entity_type"])
    doc = s.search("migratie")["facets"]["document"][0]
    assert s.search("migratie", filters={"document": doc["value"]})["total"] == doc["count"]


def test_pagination_consistent(s):
    full = s.search("migratie", limit=30)
    pages = [s.search("migratie", limit=10, offset=o) for o in (0, 10, 20)]
    ids = [r["id"] for p in pages for r in p["results"]]
    assert len(ids) == len(set(ids)) == min(30, full["total"])
    assert ids == [r["id"] for r in full["results"]]
    assert {p["total"] for p in pages} == {full["total"]}
    assert s.search("migratie", offset=10_000)["results"] == []


def test_sort_by_date(s):
    res = s.search("migratie", sort="date", limit=50)
    years = [r["year"] or 0 for r in res["results"]]
    assert years == sorted(years, reverse=True)
    assert res["total"] == s.search("migratie")["total"]


def test_snippets_mark_matches(s):
    res = s.search("telehoren", limit=2)
    assert res["results"]
    for r in res["results"]:
        assert "<mark>telehoren</mark>" in r["snippet"].lower()
        assert re.sub(r"</?mark>", "", r["snippet"]).replace("… ", "").replace(" …", "") in " ".join(r["text"].split())


def test_snippet_html_escaped(tmp_path):
    from dataclasses import replace

    doc = load_document(CORPUS / "jenv-jaarverslag-2020-beleidsverslag.txt", CORPUS)
    sec = next(s for s in doc.sections if s.text and s.blocks)
    evil = 'Zie <script>alert("x")</script> & <b>vet</b> bij de telehoorzitting.'
    sec.text = evil + "\n\n" + sec.text
    shift = len(evil) + 2
    sec.blocks = [replace(sec.blocks[0], start=0, end=len(evil))] + [
        replace(b, start=b.start + shift, end=b.end + shift) for b in sec.blocks]
    store = Store(tmp_path / "kb.sqlite")
    with store.transaction():
        store.put_document(doc)
    build_index(store, tmp_path / "index", progress=False)
    res = Searcher(tmp_path / "index").search("script telehoorzitting", limit=3)
    hit = next(r for r in res["results"] if "<script>" in r["text"])
    unmarked = re.sub(r"</?mark>", "", hit["snippet"])
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;alert(" in unmarked and "&lt;b&gt;" in unmarked
    assert set(re.findall(r"</?([a-zA-Z]+)", hit["snippet"])) <= {"mark"}
    assert "<mark>" in hit["snippet"]


@pytest.mark.parametrize("q", [
    '"unbalanced quote', "AND", "OR", "NOT", "(", ")", "-", "+", "*", "~", "((((", "a AND", "OR b", "NOT NOT",
    "jaar:", "jaar:abc", "entiteit:onbekend", "document:", "type:niks", "\x00\x01IND\x7f", "de het een",
    "", "   ", "x" * 10_000, "migratie " * 2000, "\"\"", "title:", "foo:bar", "asiel~9", "*asiel", "a*",
    "(migratie OR", "migratie) terugkeer (", "-\"", "\u202e\u200bIND", "🙂 migratie", "IND^2", "[IND]", "{}",
])
def test_malformed_queries_never_raise(s, q):
    res = s.search(q, limit=5)
    assert isinstance(res["total"], int) and res["explain"]["status"] in ("searched", "empty", "stop_words_only",
                                                                          "no_terms")
    assert interpreted(res)  # every query gets a sentence saying how it was read
    json.dumps(res)


def codes(res, part: str = "notes") -> list[str]:
    return [n["code"] for n in res["explain"][part]]


def test_explain_is_structured(s):
    assert "unclosed_quote" in codes(s.search('"vrouwelijke statushouders'))
    assert s.search('"vrouwelijke statushouders')["total"] > 0
    assert s.search("de het een")["explain"]["status"] == "stop_words_only"
    assert s.search("")["explain"]["status"] == "empty"
    long = s.search("migratie " + " ".join(f"w{i}" for i in range(100)))
    assert {"code": "truncated_terms", "limit": 64} in long["explain"]["notes"] and long["total"] > 0
    assert {"code": "truncated_chars", "limit": 500} in s.search("migratie " * 2000)["explain"]["notes"]
    ind = s.search("achterstanden IND")["explain"]
    assert [r["name"] for r in ind["readings"] if r["code"] == "entity"] == ["Immigratie- en Naturalisatiedienst"]
    assert ind["words"] == ["ind", "achterstanden"] and ind["all_words_first"] is True
    one = s.search("asielaanvragen")["explain"]
    assert one["words"] == ["asielaanvragen"] and one["all_words_first"] is False
    flt = s.search("migratie jaar:2020 entiteit:IND")["explain"]["filters"]
    assert {"field": "year", "value": "2020"} in flt and any(f["field"] == "entity" for f in flt)
    # the indexer holds no Dutch prose: explanations are codes and values
    assert "gezocht" not in json.dumps(s.search('"x jaar:abc foo:bar -')["explain"]).lower()


def test_wording_of_the_explanation(s):
    """The web layer's sentence for the structured explanation (UI, API and CLI show it)."""
    assert "aanhalingsteken" in interpreted(s.search('"vrouwelijke statushouders'))
    assert interpreted(s.search("de het een")) == "Alleen stopwoorden: daar wordt niet op gezocht."
    assert interpreted(s.search("")) == "Lege zoekvraag: geen resultaten."
    assert "64 termen" in interpreted(s.search("migratie " + " ".join(f"w{i}" for i in range(100))))
    assert interpreted(s.search("achterstanden IND")) == (
        "Gezocht op woorden: ind, achterstanden; entiteit Immigratie- en Naturalisatiedienst ("
        + s.search("IND")["explain"]["readings"][0]["id"] + "). Passages met alle woorden eerst.")
    assert interpreted(s.search("telehoren OR noodstopprocedure")).startswith(
        "Gezocht op woorden: telehoren, noodstopprocedure; een van: telehoren | noodstopprocedure.")
    assert interpreted(s.search("migratie jaar:2020")) == "Gezocht op woorden: migratie; filters: jaar 2020."
    assert interpreted(s.search("migratie", filters={"foo": "x"})).endswith("Let op: onbekend filter 'foo' genegeerd.")
    res = with_interpretation(s.search("kinderporrno"))
    assert res["interpreted"] == interpreted(res) and "komt niet voor; gezocht op 'kinderporno'" in res["interpreted"]


def test_suggestions(s):
    res = s.search("kinderporrno")  # unknown: searched as its closest spelling, and suggested
    assert res["suggestion"] == "kinderporno"
    assert {"code": "respelled", "word": "kinderporrno", "searched": ["kinderporno"]} in res["explain"]["notes"]
    assert res["total"] == s.search("kinderporno")["total"]
    assert s.search(res["suggestion"])["total"] > 0
    sug = s.search("asielaanvrage")["suggestion"]
    assert sug and sug.startswith("asielaanvra")
    assert s.search("telehoren")["suggestion"] is None


def test_threads_share_one_searcher(s):
    queries = ["migratie", "IND", "telehoren", '"vrouwelijke statushouders"', "terugkeer*"]
    expected = {q: [r["id"] for r in s.search(q)["results"]] for q in queries}
    errors = []

    def work():
        try:
            for _ in range(5):
                for q in queries:
                    assert [r["id"] for r in s.search(q)["results"]] == expected[q]
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_searchers_share_the_opened_index(kb, s):
    other = Searcher(kb["index"])
    assert other.state is s.state  # opened once per process, however many Searchers
    assert [r["id"] for r in other.search("telehoren")["results"]] == [r["id"] for r in s.search("telehoren")["results"]]


def test_cli_format(s):
    out = format_results(s.search("telehoren", limit=2))
    assert out.splitlines()[0].startswith(f"{s.search('telehoren')['total']} passage")
    assert "1. " in out and "«telehoren»" in out.lower() and "<mark>" not in out
    grouped = s.search("cybercrime aanpak", limit=1, group="section")
    lines = format_results(grouped).splitlines()
    assert lines[0].startswith(f"{grouped['total']} sectie(s) met {grouped['passages']} passage(s)")
    assert f"   + {grouped['results'][0]['more_in_section']['count']} meer uit deze sectie" in lines


def test_disjunctive_facets_keep_other_values_of_a_filtered_field(s):
    base = s.search("migratie", limit=1)
    docs = {d["value"]: d["count"] for d in base["facets"]["document"]}
    assert len(docs) >= 2
    chosen = min(docs, key=docs.get)
    for res in (s.search("migratie", limit=1, filters={"document": chosen}),
                s.search(f"migratie document:{chosen}", limit=1)):
        assert res["total"] == docs[chosen]
        # the document facet still lists every document with its unfiltered count ...
        assert {d["value"]: d["count"] for d in res["facets"]["document"]} == docs
        # ... while the other facets count the filtered results
        assert sum(x["count"] for x in res["facets"]["type"]) == res["total"]
        assert sum(x["count"] for x in res["facets"]["year"]) == res["total"]
    # two values of one field are OR-ed; the facet of another field counts under both filters
    both = s.search("migratie", limit=1, filters={"document": list(docs)})
    assert both["total"] == base["total"]
    ent = base["facets"]["entity"][0]["value"]
    res = s.search("migratie", limit=1, filters={"document": chosen, "entity": ent})
    assert sum(d["count"] for d in res["facets"]["document"]) == s.search(
        "migratie", limit=1, filters={"entity": ent})["total"]
    assert all(x["count"] <= s.search("migratie", limit=1, filters={"document": chosen})["total"]
               for x in res["facets"]["type"])


def test_several_query_filters_all_apply(s, kb):
    ind = entity_id_for(kb["store"], "IND")
    only = s.search(f"entiteit:{ind}")["total"]
    assert 0 < s.search(f"entiteit:{ind} jaar:<=2100", limit=1)["total"] == only
    assert s.search(f"entiteit:{ind} jaar:<1900", limit=1)["total"] == 0


def test_question_words_are_ignored(s):
    plain = s.search("BMVI liaison officers", limit=3)
    asked = s.search("hoeveel BMVI geld gaat naar liaison officers?", limit=3)
    assert {"code": "question_words", "words": ["hoeveel", "gaat"]} in asked["explain"]["readings"]
    assert asked["results"][0]["id"] == plain["results"][0]["id"]
    # a question word alone is still searched for
    assert s.search("hoeveel", limit=1)["total"] > 0


def test_unknown_word_is_searched_as_its_closest_spelling(s):
    right = s.search("ketenmariniers", limit=3)
    typo = s.search("ketenmarniers", limit=3)
    assert typo["total"] == right["total"] > 0
    assert typo["results"][0]["id"] == right["results"][0]["id"]
    assert any("ketenmariniers" in n.get("searched", []) for n in typo["explain"]["notes"])
    # a known word is not respelled
    assert "respelled" not in codes(s.search("telehoren", limit=1))


def test_unknown_first_part_of_compounds_finds_the_compounds(s):
    res = s.search("coffeeshops", limit=3)  # the corpus only has "coffeeshopketen"
    assert res["total"] > 0 and "coffeeshopketen" in res["results"][0]["text"]
    assert any(n["code"] == "compound_heads" and "coffeeshopketen" in n["searched"] for n in res["explain"]["notes"])


def test_later_passage_of_a_split_section_keeps_its_full_heading(s):
    # the LO section: a sentence-long heading (shortened in the title) and a one-line allocation
    res = s.search("BMVI liaison officers", limit=5)  # "liaison officers" is only in the full heading
    assert any("7,5% van de BMVI middelen" in r["text"] for r in res["results"][:2])
    assert all(r["title"] and len(r["title"]) < 200 for r in res["results"])  # the shown title is unchanged


# -- query-time synonym expansion (kb/cues/synonyms.yaml) -----------------------------------------
@pytest.fixture(scope="module")
def s_nosyn(kb) -> Searcher:
    from settings import Ranking
    return Searcher(kb["index"], kb["store"], ranking=Ranking(synonym_weight=0.0))


def test_synonym_expansion_finds_other_group_members(s, s_nosyn):
    res = s.search("cybercriminaliteit", limit=20)
    off = s_nosyn.search("cybercriminaliteit", limit=20)
    only_syn = [t for t in texts(res) if "cybercrime" in norm(t) and "cybercriminaliteit" not in norm(t)]
    assert only_syn, "a passage that says only 'cybercrime' is not found for 'cybercriminaliteit'"
    assert not [t for t in texts(off) if "cybercriminaliteit" not in norm(t)]  # off: the word itself only
    assert res["total"] > off["total"]
    assert "cybercrime" in res["explain"]["synonyms"] and "ook gezocht naar: " in interpreted(res)
    assert not off["explain"]["synonyms"] and "ook gezocht naar" not in interpreted(off)
    # the original word is kept and outweighs its synonyms: the passages that have it come first
    n_orig = off["total"]
    assert all("cybercriminaliteit" in norm(t) for t in texts(res)[:n_orig])
    assert "geld" in s.search("geld", limit=1)["explain"]["words"]
    assert "middelen" in s.search("geld", limit=1)["explain"]["synonyms"]


def test_synonym_expansion_ranks_paraphrase(s, s_nosyn):
    # "sneller" is in the throughput group with "doorlooptijden"
    q = "asielaanvragen sneller afhandelen"
    on = [norm(t) for t in texts(s.search(q, limit=3))]
    off = [norm(t) for t in texts(s_nosyn.search(q, limit=3))]
    assert sum("doorlooptijd" in t for t in on) > sum("doorlooptijd" in t for t in off)


def test_no_synonym_expansion_for_phrases_filters_and_exclusions(s, s_nosyn):
    for q in ('"cybercriminaliteit"', "title:cybercriminaliteit", "criminaliteit -cybercriminaliteit",
              "criminaliteit NOT cybercriminaliteit"):
        on, off = s.search(q, limit=50), s_nosyn.search(q, limit=50)
        assert on["total"] == off["total"], q
        assert [r["id"] for r in on["results"]] == [r["id"] for r in off["results"]], q
        assert not on["explain"]["synonyms"], q


def test_synonym_groups_come_from_the_related_data_file():
    from indexer.synonyms import LEGAL_SYNONYMS_PATH, load_groups, raw_groups
    from kb.related import load_synonyms
    assert raw_groups() == load_synonyms() + load_synonyms(LEGAL_SYNONYMS_PATH)
    from indexer.analysis import DutchAnalyzer
    an = DutchAnalyzer()
    groups = load_groups(an)
    assert load_groups(an) is groups  # loaded once per analyzer
    assert any({"cybercrime", "cybercriminaliteit"} <= {m for m, _ in g} for g in groups.groups)
