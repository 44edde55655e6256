"""Zo is uw zoekvraag gelezen: the Dutch sentence for a search's structured explanation.

The search core says *what* it did (``result["explain"]``, codes and values, see
``indexer/explain.py``); this module says it to people.  The web UI, the API's ``interpreted``
field and the CLI all use it, so the wording has one home.
"""
from __future__ import annotations

from typing import Any

_FILTER_NAMES = {"document": "document", "type": "type", "entity": "entiteit", "entity_type": "entiteittype",
                 "year": "jaar", "statement": "uitspraak", "section": "sectie", "date": "datum"}
_UNKNOWN_VALUE = {
    "document": "onbekend document '{value}'",
    "type": "onbekend documenttype '{value}'",
    "entity": "onbekende entiteit '{value}'",
    "entity_type": "onbekend entiteittype '{value}'",
    "year": "jaar '{value}' niet begrepen",
    "statement": "onbekende soort uitspraak '{value}'",
    "section": "onbekende sectie '{value}'",
    "date": "datum '{value}' niet begrepen",
}
_DANGLING = {("OR", "both"): "OR zonder term aan beide kanten genegeerd",
             ("AND", "before"): "AND zonder term ervoor genegeerd",
             ("AND", "after"): "AND zonder term erna genegeerd",
             ("NOT", "term"): "NOT zonder term genegeerd"}
#: statement kinds as the UI names them (plural, as in "passages met toezeggingen")
STATEMENT_KINDS_NL = {"commitment": "toezeggingen", "result": "resultaten", "problem": "problemen",
                      "measure": "maatregelen"}


def _quoted(words: list[str]) -> str:
    return ", ".join(repr(w) for w in words)


def note_text(note: dict[str, Any]) -> str:
    """One note (something changed or ignored in the query) in Dutch."""
    code = note.get("code")
    if code == "unclosed_quote":
        return "aanhalingsteken niet gesloten: de tekst erna is als woordgroep gelezen"
    if code == "unmatched_paren":
        return "haakje ')' zonder '(' genegeerd"
    if code == "unclosed_paren":
        return "haakje '(' niet gesloten"
    if code == "dangling_operator":
        return _DANGLING.get((note.get("operator"), note.get("missing")), f"{note.get('operator')} genegeerd")
    if code == "lone_operator":
        return f"losse operator {note['operator']} genegeerd"
    if code == "empty_filter":
        return f"filter '{note['field']}:' zonder waarde genegeerd"
    if code == "short_prefix":
        return f"voorvoegsel '{note['text']}' te kort; als woord gelezen"
    if code == "lone_symbol":
        return f"losse '{note['symbol']}' genegeerd"
    if code == "not_understood":
        return f"zoekvraag niet volledig begrepen ({note['error']}); gelezen als losse woorden"
    if code == "control_chars_removed":
        return "stuurtekens verwijderd"
    if code == "truncated_chars":
        return f"zoekvraag ingekort tot de eerste {note['limit']} tekens"
    if code == "truncated_terms":
        return f"zoekvraag ingekort tot de eerste {note['limit']} termen"
    if code == "unknown_filter":
        return f"onbekend filter '{note['name']}' genegeerd"
    if code == "unknown_value":
        return _UNKNOWN_VALUE.get(note["field"], "onbekende waarde '{value}'").format(value=note["value"])
    if code == "respelled":
        return f"'{note['word']}' komt niet voor; gezocht op {_quoted(note['searched'])}"
    if code == "compound_heads":
        return f"'{note['word']}' komt niet los voor; gezocht op {_quoted(note['searched'])}"
    if code == "prefix_capped":
        return f"'{note['text']}*' uitgebreid tot de {note['limit']} meest voorkomende termen"
    if code == "offset_out_of_range":
        return f"resultaat {note['offset'] + 1} bestaat niet: er zijn {note['total']} resultaten"
    return str(code)


def reading_text(reading: dict[str, Any]) -> str:
    """One part of the query read as something other than plain words, in Dutch."""
    code = reading.get("code")
    if code == "question_words":
        return "vraagwoorden genegeerd: " + ", ".join(reading["words"])
    if code == "entity":
        return f"entiteit {reading['name']} ({reading['id']})"
    if code == "regulation":
        return f"regeling {reading['name']} ({reading['bwb']}): ook de tekst van die regeling zelf"
    if code == "phrase":
        return f'woordgroep "{reading["text"]}"'
    if code == "prefix":
        return f"woorden die beginnen met '{reading['text']}'"
    if code == "fuzzy":
        used = reading.get("used") or []
        return f"woorden die lijken op '{reading['text']}'" + (f" ({', '.join(used)})" if used else "")
    if code == "excluded":
        return f"zonder '{reading.get('text') or 'groep'}'"
    if code == "any_of":
        return "een van: " + " | ".join(reading["labels"])
    if code == "statement_kind":
        kind = STATEMENT_KINDS_NL.get(reading["kind"], reading["kind"])
        return f"'{reading['word']}' als soort uitspraak: passages met {kind} eerst"
    return str(code)


def filter_text(flt: dict[str, Any]) -> str:
    name = _FILTER_NAMES.get(flt["field"], flt["field"])
    if flt["field"] == "statement":
        return f"{name} {STATEMENT_KINDS_NL.get(str(flt['value']), flt['value'])}"
    return f"{name} {flt.get('name') or flt['value']}"


def interpreted(result: dict[str, Any]) -> str:
    """The sentence that says how the query was read (``result`` or its ``explain``)."""
    ex = result.get("explain", result)
    if not ex:
        return ""
    parts = []
    if ex.get("words"):
        parts.append("woorden: " + ", ".join(ex["words"]))
    parts.extend(dict.fromkeys(reading_text(r) for r in ex.get("readings", [])))
    if ex.get("synonyms"):
        parts.append("ook gezocht naar: " + ", ".join(ex["synonyms"]))
    if ex.get("filters"):
        parts.append("filters: " + "; ".join(dict.fromkeys(filter_text(f) for f in ex["filters"])))
    status = ex.get("status")
    if status == "empty":
        head = "Lege zoekvraag: geen resultaten."
    elif status == "stop_words_only":
        head = "Alleen stopwoorden: daar wordt niet op gezocht."
    elif status == "no_terms":
        head = "Geen zoektermen gevonden in de zoekvraag."
    else:
        head = "Gezocht op " + "; ".join(parts) + "." if parts else "Gezocht."
        if ex.get("all_words_first"):
            head += " Passages met alle woorden eerst."
    notes = list(dict.fromkeys(note_text(n) for n in ex.get("notes", [])))
    if notes:
        head += " Let op: " + "; ".join(notes) + "."
    return head


def read_differently(result: dict[str, Any]) -> bool:
    """The query was not searched exactly as typed (a note, or words searched by resemblance)."""
    ex = result.get("explain", result) or {}
    return bool(ex.get("notes")) or any(r.get("code") == "fuzzy" for r in ex.get("readings", []))


def with_interpretation(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with its ``interpreted`` sentence (the API's and the CLI's JSON field)."""
    return {**result, "interpreted": interpreted(result)}
