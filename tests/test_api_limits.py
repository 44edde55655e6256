"""The request limit on the expensive POST operations: 429 problem+json with Retry-After, per client."""
from __future__ import annotations

from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from settings import Settings
from webapp import create_app
from webapp.api.ratelimit import TokenBuckets

API = "/api/v1"
TEXT = {"text": "De IND en het COA werken samen."}


@pytest.fixture()
def client(built_settings: Settings) -> FlaskClient:
    # three in a row, then (practically) never again: no refill during the test, whatever its speed
    limits = replace(built_settings.limits, post_burst=3, post_per_minute=0.0001)
    return create_app(replace(built_settings, limits=limits), testing=True).test_client()


def test_fourth_post_in_a_row_gets_429_with_retry_after(client: FlaskClient) -> None:
    for _ in range(3):
        assert client.post(f"{API}/tag", json=TEXT).status_code == 200
    resp = client.post(f"{API}/tag", json=TEXT)
    assert resp.status_code == 429 and resp.mimetype == "application/problem+json"
    assert int(resp.headers["Retry-After"]) > 0 and resp.headers["Cache-Control"] == "no-store"
    body = resp.get_json()
    assert body["status"] == 429 and body["type"].endswith("/api#fout-te-veel-aanvragen")
    assert "per minuut" in body["detail"] and "3 achter elkaar" in body["detail"]
    # GETs are not limited, and another client address has its own bucket
    assert client.get(f"{API}/documents").status_code == 200
    other = client.post(f"{API}/tag", json=TEXT, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200


def test_invalid_posts_count_too(client: FlaskClient) -> None:
    for _ in range(3):
        assert client.post(f"{API}/tag", data="geen json", content_type="application/json").status_code == 400
    assert client.post(f"{API}/tag", json=TEXT).status_code == 429


def test_token_bucket_refills_at_its_rate_and_forgets_old_clients() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=2, max_keys=2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(1.0)  # one token a second
    now[0] += 0.5
    assert buckets.take("a") == pytest.approx(0.5)  # the refused request took nothing
    now[0] += 0.5
    assert buckets.take("a") == 0
    now[0] += 100
    assert buckets.take("a") == 0 and buckets.take("a") == 0 and buckets.take("a") > 0  # never above the burst
    buckets.take("b")
    buckets.take("c")  # a third client: the least recently seen ("a") is forgotten
    assert len(buckets._buckets) == 2 and "a" not in buckets._buckets
