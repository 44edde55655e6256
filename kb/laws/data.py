"""The reviewed word lists of citations (``kb/patterns/laws.yaml``), loaded once."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

WORDS_FILE = Path(__file__).resolve().parent.parent / "patterns" / "laws.yaml"


@lru_cache(maxsize=1)
def law_words() -> dict[str, Any]:
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")) or {}
