"""The OpenAPI document (``openapi.yaml``): loaded once, and the request validation derived from it.

The YAML file is the single source of truth: the routes are registered from its paths and
operation ids (see :mod:`webapp.api.views`), query and path parameters are parsed and checked
against its parameter schemas, the ``/tag`` body against its request-body schema, and the
tests validate every response against its response schemas.

Exports are derived, not written twice: a list operation marked ``x-exports: {items: <key>,
schema: <$ref>}`` gets two more operations when the document is loaded, ``<path>.csv`` and
``<path>.ndjson`` (operation ids ``<id>Csv``/``<id>Ndjson``) with the same parameters but
``limit`` and ``offset``; ``x-export-of`` and ``x-items-schema`` on them say what they hold.
The served ``openapi.json`` contains them like any other operation.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
#: Base URI under which the whole OpenAPI document is registered for ``$ref`` resolution.
SPEC_URI = "urn:beleidsbank:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_INT_RE = re.compile(r"-?[0-9]{1,18}")


#: Export formats of a list operation: suffix -> (operation id suffix, media type, Dutch name).
EXPORT_FORMATS = {"csv": ("Csv", "text/csv", "CSV (Nederlandse Excel-conventie)"),
                  "ndjson": ("Ndjson", "application/x-ndjson", "NDJSON (één JSON-object per regel)")}
PAGING_PARAMS = ("limit", "offset")


@cache
def spec() -> dict[str, Any]:
    """The OpenAPI document as data (read from disk once per process), exports expanded."""
    with SPEC_PATH.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    return expand_exports(doc)


def expand_exports(doc: dict[str, Any]) -> dict[str, Any]:
    """Add the ``.csv`` and ``.ndjson`` operations of every operation marked ``x-exports``."""
    added: dict[str, Any] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method != "get" or "x-exports" not in op:
                continue
            for suffix, (id_suffix, mimetype, name) in EXPORT_FORMATS.items():
                params = [raw for raw in op.get("parameters", [])
                          if resolve_in(doc, raw).get("name") not in PAGING_PARAMS]
                errors = {code: raw for code, raw in op["responses"].items() if str(code)[0] in "45"}
                added[f"{path}.{suffix}"] = {"get": {
                    "operationId": op["operationId"] + id_suffix,
                    "tags": op.get("tags", []),
                    "summary": f"{op.get('summary', '')} als {suffix.upper()}",
                    "description": (f"Alle resultaten van `{path}` met dezelfde filters (zonder `limit` en `offset`) "
                                    f"als {name}, gestreamd; zie **Exports** bovenaan."),
                    "x-export-of": op["operationId"],
                    "x-items-schema": op["x-exports"]["schema"],
                    "parameters": params,
                    "responses": {"200": {"description": f"De rijen als {name}.",
                                          "content": {mimetype: {"schema": {"type": "string"}}}}, **errors},
                }}
    doc["paths"].update(added)
    return doc


def resolve_in(doc: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` chains in the OpenAPI document ``doc`` (a served copy, too) to the referenced object."""
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@cache
def spec_json() -> bytes:
    """The OpenAPI document serialised once, for ``GET /openapi.json``."""
    return json.dumps(spec(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@cache
def registry() -> Registry:
    return Registry().with_resource(SPEC_URI, Resource.from_contents(spec(), default_specification=DRAFT202012))


def pointer(*parts: str | int) -> str:
    """JSON pointer (as a ``$ref`` into the spec) for the given path inside the document."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return f"{SPEC_URI}#/" + "/".join(escaped)


def validator(ref: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for the schema at ``ref`` (a :func:`pointer` into the spec)."""
    return Draft202012Validator({"$ref": ref}, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def resolve(node: Any) -> Any:
    """Follow local ``$ref`` chains (``#/components/...``) to the referenced object."""
    return resolve_in(spec(), node)


def schema_ref(path: str, method: str, status: str | int, content_type: str = "application/json") -> str:
    """``$ref`` of the response schema of one operation (for validating responses in tests)."""
    raw = spec()["paths"][path][method]["responses"][str(status)]
    base = f"{SPEC_URI}{raw['$ref']}" if "$ref" in raw else pointer("paths", path, method, "responses", str(status))
    return f"{base}/content/{content_type.replace('/', '~1')}/schema"


# -- request parameters ----------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    name: str
    location: str  # "query" | "path"
    required: bool
    type: str  # JSON Schema type of the value: "string" | "integer"
    default: Any
    check: Draft202012Validator


@dataclass(frozen=True)
class Operation:
    id: str
    path: str  # OpenAPI path, e.g. "/passages/{id}"
    method: str  # lower case
    params: tuple[Param, ...]
    body: Draft202012Validator | None  # JSON request-body schema, if any

    export_of: str | None = None  # the list operation whose rows an export operation holds

    @property
    def rule(self) -> str:
        """The Flask URL rule for the OpenAPI path (``{id}`` -> ``<id>``; ids never contain '/')."""
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)

    @property
    def export_format(self) -> str | None:
        return self.path.rsplit(".", 1)[1] if self.export_of else None


@cache
def operations() -> dict[str, Operation]:
    """Every operation of the spec by ``operationId``."""
    out: dict[str, Operation] = {}
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            params = []
            located = [(raw, ("paths", path, "parameters", i)) for i, raw in enumerate(item.get("parameters", []))]
            located += [(raw, ("paths", path, method, "parameters", i)) for i, raw in enumerate(op.get("parameters", []))]
            for raw, where in located:
                ref = f"{SPEC_URI}{raw['$ref']}/schema" if "$ref" in raw else pointer(*where, "schema")
                p = resolve(raw)
                schema = resolve(p["schema"])
                params.append(Param(
                    name=p["name"], location=p["in"], required=bool(p.get("required")),
                    type=schema.get("type", "string"), default=schema.get("default"), check=validator(ref),
                ))
            body = None
            if "requestBody" in op:
                body = validator(pointer("paths", path, method, "requestBody", "content", "application/json", "schema"))
            out[op["operationId"]] = Operation(op["operationId"], path, method, tuple(params), body,
                                               op.get("x-export-of"))
    return out


class ParameterError(Exception):
    """One or more request parameters are invalid; ``errors`` lists them (name, in, detail)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['name']}: {e['detail']}" for e in errors))


def parse_params(op: Operation, query: Any, path_args: Mapping[str, str]) -> dict[str, Any]:
    """Check and convert the parameters of one request; defaults are filled in.

    ``query`` is a werkzeug ``MultiDict``.  Unknown query parameters are ignored; a known one
    given more than once is an error.  An empty value of an optional parameter whose schema
    accepts the empty string counts as absent (so ``?document=`` means no filter); elsewhere
    (numbers, enums) it is an error.
    """
    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for p in op.params:
        if p.location == "path":
            raw_list = [path_args[p.name]] if p.name in path_args else []
        else:
            raw_list = query.getlist(p.name)
        if len(raw_list) > 1:
            errors.append(_err(p, f"mag maar één keer voorkomen (nu {len(raw_list)} keer)"))
            continue
        raw = raw_list[0] if raw_list else None
        if raw == "" and p.location == "query" and not p.required and p.check.is_valid(""):
            raw = None
        if raw is None:
            if p.required:
                errors.append(_err(p, "is verplicht"))
            else:
                values[p.name] = p.default
            continue
        value: Any = raw
        if p.type == "integer":
            if not _INT_RE.fullmatch(raw):
                errors.append(_err(p, f"moet een geheel getal zijn, niet {_show(raw)}"))
                continue
            value = int(raw)
        problem = _first_error(p.check, value)
        if problem:
            errors.append(_err(p, problem))
            continue
        values[p.name] = value
    if errors:
        raise ParameterError(errors)
    return values


def body_error(op: Operation, body: Any) -> str | None:
    """Dutch description of what is wrong with a JSON request body, or None if it is valid."""
    assert op.body is not None
    return _first_error(op.body, body, top="body")


def _err(p: Param, detail: str) -> dict[str, str]:
    return {"name": p.name, "in": p.location, "detail": f"parameter '{p.name}' {detail}"}


def _show(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…\""


_TYPE_NL = {"integer": "een geheel getal", "string": "tekst", "object": "een JSON-object", "array": "een lijst",
            "number": "een getal", "boolean": "true of false", "null": "null"}


def _first_error(check: Draft202012Validator, value: Any, top: str = "") -> str | None:
    """The most relevant schema violation, phrased in Dutch (without the parameter name)."""
    errors = sorted(check.iter_errors(value), key=lambda e: (len(e.absolute_path), e.validator))
    if not errors:
        return None
    e: ValidationError = errors[0]
    where = "".join(f"['{p}']" if isinstance(p, str) else f"[{p}]" for p in e.absolute_path)
    prefix = f"{top}{where} " if top else (f"{where} " if where else "")
    v = e.validator_value
    match e.validator:
        case "minimum":
            msg = f"moet minstens {v} zijn, niet {e.instance}"
        case "maximum":
            msg = f"mag hoogstens {v} zijn, niet {e.instance}"
        case "enum":
            msg = f"moet een van {', '.join(map(str, v))} zijn, niet {_show(e.instance)}"
        case "minLength":
            msg = "mag niet leeg zijn" if v == 1 else f"moet minstens {v} tekens lang zijn"
        case "format" if v == "date":
            msg = f"moet een bestaande datum JJJJ-MM-DD zijn, niet {_show(e.instance)}"
        case "maxLength":
            msg = f"mag hoogstens {v} tekens lang zijn (nu {len(e.instance)})"
        case "type":
            types = [v] if isinstance(v, str) else v
            msg = f"moet {' of '.join(_TYPE_NL.get(t, t) for t in types)} zijn"
        case "required":
            missing = next((r for r in v if isinstance(e.instance, dict) and r not in e.instance), v[0])
            msg = f"mist het verplichte veld '{missing}'"
        case _:
            msg = f"is ongeldig ({e.message})"
    return prefix + msg
