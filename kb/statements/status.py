"""What became of a commitment: open, deadline passed, or possibly fulfilled (never without evidence).

A pure function, so the web layer can call it with whatever evidence it gathered (later passages
found with the related-passage engine) and the tests can pin its rules:

* ``possibly fulfilled`` needs at least one evidence item that reports doing something: a passage
  (or its best sentence) classified as a result (``kind == "result"``), from another passage than the
  commitment's own and not dated before the commitment;
* else ``deadline passed`` when the deadline's last day (``date_to``) lies before ``today``;
* else ``open`` (a deadline ahead, an open-ended one, or none at all).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

#: Status -> the Dutch label users see.
STATUS_LABELS = {"open": "open", "deadline passed": "termijn verstreken", "possibly fulfilled": "mogelijk nagekomen"}


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def counts_as_evidence(commitment: dict[str, Any], item: dict[str, Any]) -> bool:
    """Does this related passage report doing something, later and elsewhere than the commitment?"""
    if item.get("kind") != "result":
        return False
    own = commitment.get("passage_id")
    if own is not None and item.get("passage_id") == own:
        return False
    made, reported = _day(commitment.get("date")), _day(item.get("date"))
    return not (made and reported and reported < made)


def commitment_status(commitment: dict[str, Any], today: date, evidence: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """``{"status", "label", "evidence"}`` for one commitment (a stored ``commitment`` dict, or any dict
    with ``deadline`` {``date_to``}, optional ``passage_id`` and ``date``)."""
    found = [e for e in evidence if counts_as_evidence(commitment, e)]
    if found:
        status = "possibly fulfilled"
    else:
        due = _day((commitment.get("deadline") or {}).get("date_to"))
        status = "deadline passed" if due is not None and due < today else "open"
    return {"status": status, "label": STATUS_LABELS[status], "evidence": found}
