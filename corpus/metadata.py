"""Document metadata: sidecar files, Markdown front matter and fallbacks derived from names.

Policy texts rarely carry machine-readable metadata, so a curator can put it next to the
file (``foo.meta.yaml`` for ``foo.txt``).  Sidecar values win over front matter; without
either, title, year and period are derived from the content and the file name so every
document still gets a usable title.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from .decoding import strip_controls
from .hashing import SIDECAR_SUFFIXES
from .limits import DEFAULT_LIMITS, ReadLimits, human_bytes
from .model import ReaderError

FIELDS = ("title", "kind", "year", "period", "ministry", "source", "licence", "date", "kamerstuk")
_ALIASES = {"license": "licence", "licentie": "licence", "titel": "title", "jaar": "year",
            "periode": "period", "ministerie": "ministry", "bron": "source", "soort": "kind", "datum": "date"}
_ISO_DATE = re.compile(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})")
_YEAR_RANGE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–/]\s*((?:19|20)\d{2})(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def sidecar_for(path: Path) -> Path | None:
    """``foo.meta.yaml`` (or ``.meta.yml``/``.meta.json``/``.yaml``/``.yml``/``.json``) for ``foo.txt``."""
    stem = _stem(path)
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(stem + suffix)
        if candidate != path and candidate.is_file():
            return candidate
    return None


def json_safe(value: Any) -> Any:
    """YAML gives dates and other objects; metadata must survive a JSON round trip.

    Strings lose control characters ("\\0" is a valid YAML escape) so none reaches a page.
    """
    if isinstance(value, dict):
        return {strip_controls(str(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return strip_controls(value)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return strip_controls(str(value))


class _MetadataLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases and deep nesting.

    Aliases are what a "billion laughs" bomb multiplies (nine levels of ten aliases expand
    600 bytes into gigabytes); curated metadata never needs them, so they are an error.
    """

    max_depth = DEFAULT_LIMITS.max_yaml_depth
    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliassen (*naam) zijn niet toegestaan in metadata",
                                              event.start_mark)
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise yaml.composer.ComposerError(None, None, f"metadata dieper genest dan {self.max_depth} niveaus",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _load_yaml(raw: str, max_depth: int) -> Any:
    loader = _MetadataLoader(raw)
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _json_depth_ok(data: Any, max_depth: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            return False
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return True


def _parse_mapping(raw: str, name: str, line_offset: int = 0, limits: ReadLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    size = len(raw.encode("utf-8"))
    if size > limits.max_yaml_bytes:
        raise ReaderError(name, f"metadata te groot: {human_bytes(size)} (grens {human_bytes(limits.max_yaml_bytes)})",
                          1 + line_offset)
    try:
        if name.endswith(".json"):
            data = json.loads(raw)
            if not _json_depth_ok(data, limits.max_yaml_depth):
                raise ReaderError(name, f"metadata dieper genest dan {limits.max_yaml_depth} niveaus")
        else:
            data = _load_yaml(raw, limits.max_yaml_depth)
    except json.JSONDecodeError as exc:
        raise ReaderError(name, f"ongeldige JSON-metadata: {exc.msg}", exc.lineno + line_offset) from exc
    except RecursionError as exc:
        raise ReaderError(name, "metadata te diep genest") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        raise ReaderError(name, f"ongeldige YAML-metadata: {getattr(exc, 'problem', exc)}", line) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ReaderError(name, "metadata moet een mapping (sleutel: waarde) zijn", 1 + line_offset)
    return json_safe(data)


def load_sidecar(path: Path, display_name: str | None = None, *, root: Path | None = None,
                 limits: ReadLimits = DEFAULT_LIMITS) -> tuple[dict[str, Any], bytes]:
    """Parse a sidecar file; returns the mapping and the raw bytes (part of the document hash)."""
    from .files import read_file

    name = display_name or str(path)
    try:
        data = read_file(path, root or path.parent, limits.max_yaml_bytes)
    except ReaderError as exc:
        raise ReaderError(name, f"metadata niet gelezen: {str(exc).split(': ', 1)[-1]}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(name, f"metadata is geen geldige UTF-8 (byte {exc.start})") from exc
    return _parse_mapping(text, name, limits=limits), data


def split_front_matter(text: str, name: str = "",
                       limits: ReadLimits = DEFAULT_LIMITS) -> tuple[dict[str, Any], int, list[str]]:
    """YAML front matter at the very start: ``(mapping, lines consumed, warnings)``.

    Broken front matter is reported as a warning and ignored, so a page with a typo in its
    metadata still gets its text indexed.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, 0, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, 0, []
    raw = "\n".join(lines[1:end])
    try:
        data = _parse_mapping(raw, name or "front matter", line_offset=1, limits=limits)
    except ReaderError as exc:
        return {}, end + 1, [f"front matter genegeerd: {exc}"]
    return data, end + 1, []


def normalise_fields(meta: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Split metadata into known Document fields and the rest; coerce year and period."""
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in meta.items():
        name = _ALIASES.get(key.lower(), key.lower())
        if name not in FIELDS:
            extra[key] = value
            continue
        if value is None or value == "":
            continue
        if name == "year":
            if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
                fields["year"] = int(value)
            else:
                warnings.append(f"metadata year {value!r} is geen jaartal; genegeerd")
        elif name == "date":
            m = _ISO_DATE.match(str(value).strip())
            if m:
                fields["date"] = m.group(0)
            else:
                warnings.append(f"metadata date {value!r} is geen datum (JJJJ-MM-DD); genegeerd")
        elif name == "period" and isinstance(value, list) and len(value) == 2:
            fields["period"] = f"{value[0]}-{value[1]}"
        else:
            fields[name] = value if isinstance(value, str) else str(value)
    return fields, extra, warnings


def derive_period(*texts: str | None) -> str | None:
    """A period like "2021-2027" in the file name or title."""
    for text in texts:
        m = _YEAR_RANGE_RE.search(text or "")
        if m and int(m.group(1)) < int(m.group(2)):
            return f"{m.group(1)}-{m.group(2)}"
    return None


def derive_year(*texts: str | None) -> int | None:
    """A single year ("jaarverslag-2020"); years that are part of a period do not count."""
    for text in texts:
        m = _YEAR_RE.search(_YEAR_RANGE_RE.sub(" ", text or ""))
        if m:
            return int(m.group(1))
    return None


def title_from_filename(path: Path) -> str:
    words = re.sub(r"(?<!\d)[-_]+|[-_]+(?!\d)", " ", _stem(path)).strip()
    return (words[:1].upper() + words[1:]) if words else path.name
