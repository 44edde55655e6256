"""The ``.csv`` and ``.ndjson`` exports of the API's lists (operations derived in ``spec.expand_exports``).

An export holds every row of its list operation with the same filters — the items of the JSON
list, unchanged, one per line in NDJSON; flattened to columns in CSV — streamed while they are
produced.  The first row is produced before the response starts, so a bad filter or a spent
budget still gets its problem+json status; later failures end the stream early (the client sees
an incomplete transfer, never a silently short file).

CSV columns follow the item schema in the OpenAPI document, in its order: a scalar property is
one column; an object with declared properties gives one column per property (``context.before``);
a list of scalars is joined with `` | ``; a list of objects is joined by each object's ``name``
(or ``title``, ``text``, ``id``); an object without declared properties (``metadata``) is written
as JSON.  Cells follow the product's CSV convention (``webapp.ui.formats``: ``;``, decimal comma,
UTF-8 with BOM, formula-like text defused).
"""
from __future__ import annotations

import itertools
import json
import re
from typing import Any, Callable, Iterable

from flask import Response

from webapp.api.spec import Operation, resolve, spec
from webapp.pages.model import Table
from webapp.ui.formats import NDJSON_MIMETYPE, csv_lines, stream_response

BATCH = 100  # search hits fetched per call while an export streams
_OBJECT_LABELS = ("name", "title", "text", "id")


def export(op: Operation, rows: Callable[[dict[str, Any]], Iterable[dict[str, Any]]], p: dict[str, Any]) -> Response:
    items = iter(rows(p))
    first = list(itertools.islice(items, 1))  # errors before the first row are answered with their status
    everything = itertools.chain(first, items)
    path = op.path.rsplit(".", 1)[0]
    for param in op.params:
        if param.location == "path":
            path = path.replace("{" + param.name + "}", str(p[param.name]))
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", path.strip("/")).strip("-") or "export"
    if op.export_format == "ndjson":
        lines = (json.dumps(item, ensure_ascii=False) + "\n" for item in everything)
        return stream_response(lines, f"{NDJSON_MIMETYPE}; charset=utf-8", f"{name}.ndjson")
    columns = csv_columns(item_schema(op))
    table = Table(name, [(c, c) for c in columns], (flatten(item, columns) for item in everything))
    return stream_response(csv_lines(table), "text/csv; charset=utf-8; header=present", f"{name}.csv")


def item_schema(op: Operation) -> dict[str, Any]:
    return _merged(resolve(spec()["paths"][op.path]["get"]["x-items-schema"]))


def _merged(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its ``allOf`` parts merged (properties in order)."""
    schema = resolve(schema)
    props: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        props.update(_merged(part).get("properties", {}))
    props.update(schema.get("properties", {}))
    return {**schema, "properties": props}


def csv_columns(schema: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, sub in schema.get("properties", {}).items():
        sub = _merged(sub)
        if "object" in _types(sub) and sub.get("properties") and not prefix:
            out += csv_columns(sub, f"{key}.")
        else:
            out.append(prefix + key)
    return out


def _types(schema: dict[str, Any]) -> set[str]:
    t = schema.get("type")
    return {t} if isinstance(t, str) else set(t or [])


def flatten(item: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    row = {}
    for col in columns:
        value: Any = item
        for part in col.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        row[col] = _cell(value)
    return row


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        return [_label(v) for v in value]
    return value


def _label(value: Any) -> Any:
    if isinstance(value, dict):
        return next((str(value[k]) for k in _OBJECT_LABELS if value.get(k) not in (None, "")),
                    json.dumps(value, ensure_ascii=False, sort_keys=True))
    return value

