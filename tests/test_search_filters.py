"""Search filters, facets, paging and sorting on an index of the shipped corpus: field filters in the
query and as a dict, filter-only searches, facet counts that add up, disjunctive facets.

The index is the one the real pipeline (readers + tagger) built for the session
(``built_settings`` in conftest.py)."""
from __future__ import annotations

from search_support import entity_id_for


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
