"""Issue 12, web side: ``POST /api/v1/statements`` is ``beleidsbank statements --json``, and
``GET /api/v1/commitments`` is the register with its filters, follow-up status and evidence."""
from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from kb.extract_store import read_statements
from settings import Settings
from support import EXE, PLAN_ID, SHARED
from webapp import create_app

API = "/api/v1"
PUBLIC = "https://beleidsbank.example.nl"
OWN_TEXT = """De minister zegt de Kamer toe dat zij uiterlijk januari 2019 een brief stuurt over de IND.

Ik zal uw Kamer voor de zomer van 2021 informeren over de voortgang bij het COA. Is de minister bereid dit te doen?

De Nationale Politie heeft het project afgerond. Binnen drie maanden ontvangt u de evaluatie van de Wet straffen en beschermen.

Het kabinet zet zich in om de doorlooptijden bij de IND te verkorten, tenzij de instroom sterk stijgt."""


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    limits = replace(built_settings.limits, post_burst=1000)
    return create_app(replace(built_settings, limits=limits, public_url=PUBLIC), testing=True).test_client()


@pytest.fixture(scope="module")
def register(client: FlaskClient) -> list[dict[str, Any]]:
    body = client.get(f"{API}/commitments?limit=100").get_json()
    items = list(body["commitments"])
    while body["next"]:
        body = client.get(body["next"]).get_json()  # relative, like every "next"
        items += body["commitments"]
    return items


def cli(text: str, settings: Settings, *args: str) -> dict[str, Any]:
    out = subprocess.run([EXE, "statements", "--json", "--data", str(settings.data_dir), *args], input=text,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _dev_texts() -> str:
    path = SHARED / "eval" / "dev_commitments.json"
    items = json.loads(path.read_text(encoding="utf-8"))["items"] if path.exists() else []
    return "\n\n".join(i["text"] for i in items[:40])


# -- POST /statements ------------------------------------------------------------------------------
@pytest.mark.parametrize("which,args", [("own", ()), ("own", ("--date", "2018-10-01")), ("dev", ())])
def test_post_statements_is_what_the_cli_prints(client: FlaskClient, built_settings: Settings, which: str,
                                                args: tuple[str, ...]) -> None:
    text = OWN_TEXT if which == "own" else _dev_texts()
    if not text:
        pytest.fail(f"{SHARED}/eval/dev_commitments.json is missing (CI has ../shared beside the clone)")
    body = {"text": text, **({"date": args[1]} if args else {})}
    resp = client.post(f"{API}/statements", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    api = resp.get_json()
    assert api == cli(text, built_settings, *args)
    kinds = {s["kind"] for s in api["statements"]}
    assert "commitment" in kinds and "other" in kinds
    if which == "own":
        first = api["statements"][0]
        assert first["deadline"]["text"] == "uiterlijk januari 2019" and first["actor"]["role"] == "minister"
        assert any(e["kb_id"] == "ind" for e in first["entities"])


def test_post_statements_errors(client: FlaskClient) -> None:
    def problem(resp, status: int) -> str:
        assert resp.status_code == status and resp.mimetype == "application/problem+json", resp.get_data(as_text=True)
        return resp.get_json()["detail"]

    assert "application/json" in problem(client.post(f"{API}/statements", data="tekst", content_type="text/plain"), 415)
    assert "text" in problem(client.post(f"{API}/statements", json={"tekst": "x"}), 400)
    assert "datum" in problem(client.post(f"{API}/statements", json={"text": "x", "date": "2021-02-30"}), 400)
    problem(client.post(f"{API}/statements", json={"text": "x", "date": "morgen"}), 400)
    assert client.post(f"{API}/statements", json={"text": ""}).get_json() == {"statements": []}


def test_post_statements_has_the_request_limit(built_settings: Settings) -> None:
    limits = replace(built_settings.limits, post_burst=1, post_per_minute=0.0001)
    client = create_app(replace(built_settings, limits=limits), testing=True).test_client()
    assert client.post(f"{API}/statements", json={"text": "Het project is afgerond."}).status_code == 200
    resp = client.post(f"{API}/statements", json={"text": "Het project is afgerond."})
    assert resp.status_code == 429 and resp.headers["Retry-After"]


# -- GET /commitments ------------------------------------------------------------------------------
def test_register_holds_every_commitment_of_the_collection(register: list[dict[str, Any]], built_store) -> None:
    stored = [s for s in read_statements(built_store) if s["kind"] == "commitment"]
    assert stored and sorted(c["id"] for c in register) == sorted(s["id"] for s in stored)
    for c in register:
        assert c["text"] and c["cue"]["text"] and c["cue"]["text"] in c["text"]
        assert "commitment." not in json.dumps(c["cue"])  # Dutch words and labels, never rule ids
        assert c["url"].startswith(f"{PUBLIC}/passages/") and "s=" in c["url"]
        assert all(e["name"] for e in c["entities"]) and "date" not in {e["id"] for e in c["entities"]}


def test_status_follows_deadline_and_evidence(register: list[dict[str, Any]]) -> None:
    today = date.today().isoformat()
    statuses = {c["status"] for c in register}
    assert statuses <= {"open", "deadline_passed", "possibly_fulfilled"}
    for c in register:
        due = (c["deadline"] or {}).get("date_to")
        if c["status"] == "possibly_fulfilled":
            assert c["evidence"], c["id"]  # never "fulfilled" without evidence
            for e in c["evidence"]:
                assert e["document"] != c["document"] and len(e["words"]) >= 2
                assert all(w.lower() in e["sentence"].lower() for w in e["words"])
                assert e["url"].startswith(f"{PUBLIC}/passages/")
        else:
            assert c["evidence"] == []
            assert (c["status"] == "deadline_passed") == bool(due and due < today)
    assert "possibly_fulfilled" in statuses  # the annual report reports on some of the plan's commitments


def test_filters_restrict_the_register(client: FlaskClient, register: list[dict[str, Any]]) -> None:
    def ids(**params: str) -> list[str]:
        body = client.get(f"{API}/commitments", query_string={**params, "limit": 100}).get_json()
        assert body["total"] == len(body["commitments"])
        return [c["id"] for c in body["commitments"]]

    by_id = {c["id"]: c for c in register}
    for status in ("open", "deadline_passed", "possibly_fulfilled"):
        assert sorted(ids(status=status)) == sorted(i for i, c in by_id.items() if c["status"] == status)
    assert set(ids(document=PLAN_ID)) == {i for i, c in by_id.items() if c["document"] == PLAN_ID}
    assert ids(document="bestaat-niet") == []
    entity = next(e["id"] for c in register for e in c["entities"])
    assert set(ids(entity=entity)) == {i for i, c in by_id.items() if entity in {e["id"] for e in c["entities"]}}
    actor = next(c["actor"]["label"] for c in register if c["actor"] and c["actor"]["label"])
    assert set(ids(actor=actor.upper())) == {i for i, c in by_id.items()
                                             if c["actor"] and (c["actor"]["label"] or "").lower() == actor.lower()}
    in_2021 = ids(deadline_from="2021-01-01", deadline_to="2021-12-31")
    assert in_2021 and all(by_id[i]["deadline"] for i in in_2021)
    for i in in_2021:  # the deadline's days overlap 2021 (an open end counts as its first day)
        dl = by_id[i]["deadline"]
        assert (dl["date_from"] or dl["date_to"]) <= "2021-12-31" and (dl["date_to"] or dl["date_from"]) >= "2021-01-01"
    assert ids(deadline_from="2090-01-01", deadline_to="2090-12-31") == []
    assert client.get(f"{API}/commitments?deadline_to=2021-02-30").status_code == 400
    assert client.get(f"{API}/commitments?status=nagekomen").status_code == 400


def test_sorted_by_deadline_first(client: FlaskClient, register: list[dict[str, Any]], built_store) -> None:
    reading_order = [s["id"] for s in read_statements(built_store) if s["kind"] == "commitment"]
    dues = [(c["deadline"] or {}).get("date_to") or (c["deadline"] or {}).get("date_from") for c in register]
    dated = [d for d in dues if d]
    assert dated and dues[:len(dated)] == sorted(dated) and not any(dues[len(dated):])  # undated last
    undated = [c["id"] for c in register[len(dated):]]
    assert undated == [i for i in reading_order if i in set(undated)]  # in reading order among themselves
    body = client.get(f"{API}/commitments?sort=document&limit=100").get_json()
    in_order = [c["id"] for c in body["commitments"]]
    assert in_order == reading_order[:len(in_order)]
