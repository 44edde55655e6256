"""How a search says what it did: the structured explanation (codes and values, no Dutch prose in the
indexer), the web layer's Dutch sentence for it, spelling suggestions and the CLI's plain-text format.

The index is the one the real pipeline (readers + tagger) built for the session
(``built_settings`` in conftest.py)."""
from __future__ import annotations

import json

from indexer.cli_format import format_results
from webapp.search_wording import interpreted, with_interpretation

from search_support import codes


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


def test_cli_format(s):
    out = format_results(s.search("telehoren", limit=2))
    assert out.splitlines()[0].startswith(f"{s.search('telehoren')['total']} passage")
    assert "1. " in out and "«telehoren»" in out.lower() and "<mark>" not in out
    grouped = s.search("cybercrime aanpak", limit=1, group="section")
    lines = format_results(grouped).splitlines()
    assert lines[0].startswith(f"{grouped['total']} sectie(s) met {grouped['passages']} passage(s)")
    assert f"   + {grouped['results'][0]['more_in_section']['count']} meer uit deze sectie" in lines
