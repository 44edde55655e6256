"""``beleidsbank statements --json``: the contract the evaluation and the API rely on (a real subprocess)."""
from __future__ import annotations

import json
import subprocess

from support import EXE

TEXT = ("De Minister van Defensie zegt de Kamer toe haar binnen drie maanden te informeren over de aanschaf van de "
        "nieuwe onderzeeboten. Is de minister bereid dit te doen? De Nationale Politie heeft het project afgerond.")
KEYS = {"start", "end", "text", "kind", "negated", "conditional", "cue", "actor", "action", "deadline", "entities"}


def statements(*args: str, stdin: str = TEXT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, "statements", *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_contract() -> None:
    out = statements("--json", "--date", "2021-03-10")
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)["statements"]
    assert [s["kind"] for s in items] == ["commitment", "other", "result"]
    for s in items:
        assert KEYS <= set(s)
        assert TEXT[s["start"]:s["end"]] == s["text"]
        assert isinstance(s["negated"], bool) and isinstance(s["conditional"], bool)
    com = items[0]
    assert com["cue"] in com["text"] and "commitment." not in json.dumps(com)  # Dutch words, no rule ids
    assert com["actor"]["role"] == "minister" and com["actor"]["portfolio"] == "Defensie"
    assert com["action"]["lemma"] == "informeren"
    d = com["deadline"]
    assert set(d) >= {"text", "start", "end", "date_from", "date_to"}
    assert TEXT[d["start"]:d["end"]] == d["text"] == "binnen drie maanden"
    assert (d["date_from"], d["date_to"]) == ("2021-03-10", "2021-06-10")
    # entities inside the commitment's sentence, with offsets into the text
    assert com["entities"] and all(com["start"] <= e["start"] < e["end"] <= com["end"] for e in com["entities"])
    assert items[1]["actor"] is None and items[1]["deadline"] is None


def test_without_date_relative_deadlines_keep_their_text_only() -> None:
    out = statements("--json", "--no-entities")
    com = json.loads(out.stdout)["statements"][0]
    assert com["deadline"]["text"] == "binnen drie maanden" and com["deadline"]["date_to"] is None
    assert com["entities"] == []


def test_bad_date_is_a_clear_error() -> None:
    out = statements("--json", "--date", "10-03-2021")
    assert out.returncode != 0 and "JJJJ-MM-DD" in out.stderr


def test_empty_input_and_plain_output() -> None:
    out = statements("--json", stdin="")
    assert out.returncode == 0 and json.loads(out.stdout) == {"statements": []}
    out = statements("--no-entities")
    assert out.returncode == 0
    assert "commitment" in out.stdout and "wie: minister van Defensie; wat: informeren; wanneer: binnen drie maanden" in out.stdout
