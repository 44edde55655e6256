"""All configuration in one place.

Every setting has a default that works out of the box and can be overridden by an
environment variable (``BELEIDSBANK_*``) or by a command-line option that passes an
explicit value.  Layers receive a :class:`Settings` instance (or plain paths taken from
it); none of them reads the environment on its own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

#: The project checkout (the package is installed in editable mode by ``make install``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_CORPUS_DIR = PROJECT_ROOT / "corpus" / "documents"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

#: Names of the files and folders inside a data directory.
DB_FILENAME = "beleidsbank.sqlite"
INDEX_DIRNAME = "index"
ORIGINALS_DIRNAME = "originals"

#: The statistical spaCy pipeline used when it is installed; a blank Dutch pipeline
#: with catalogue and rule-based components is used otherwise.
DEFAULT_SPACY_MODEL = "nl_core_news_sm"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip().replace("_", "")
    return int(value) if value.isdigit() else default


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run of the application."""

    data_dir: Path = field(default_factory=lambda: _env_path("BELEIDSBANK_DATA", DEFAULT_DATA_DIR))
    corpus_dir: Path = field(default_factory=lambda: _env_path("BELEIDSBANK_CORPUS", DEFAULT_CORPUS_DIR))
    spacy_model: str = field(default_factory=lambda: os.environ.get("BELEIDSBANK_SPACY_MODEL", DEFAULT_SPACY_MODEL))
    #: Largest request body the API accepts (bytes); larger bodies get HTTP 413.
    max_request_bytes: int = 1_048_576
    #: Allowed CORS origins for the API; empty means CORS is off.
    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(o for o in os.environ.get("BELEIDSBANK_CORS_ORIGINS", "").split(",") if o)
    )

    #: Reading limits for corpus files (the corpus layer gets them as ``corpus.limits.ReadLimits``).
    #: Largest source file read (bytes); larger files are listed as "niet gelezen".
    max_file_bytes: int = field(default_factory=lambda: _env_int("BELEIDSBANK_MAX_FILE_BYTES", 64 * 1024 * 1024))
    #: Most characters of text one document may yield.
    max_text_chars: int = field(default_factory=lambda: _env_int("BELEIDSBANK_MAX_TEXT_CHARS", 8_000_000))
    #: Longest line in a .txt/.md file.
    max_line_chars: int = field(default_factory=lambda: _env_int("BELEIDSBANK_MAX_LINE_CHARS", 100_000))
    #: Largest metadata sidecar or front matter (bytes), and its deepest nesting; YAML aliases are refused.
    max_yaml_bytes: int = 64 * 1024
    max_yaml_depth: int = 20
    #: OCR for scanned PDF pages (needs Tesseract); off by default.
    ocr: bool = field(default_factory=lambda: os.environ.get("BELEIDSBANK_OCR", "") in ("1", "true", "ja"))

    @property
    def originals_dir(self) -> Path:
        """Copies of the source files, served as the "origineel" of a document."""
        return self.data_dir / ORIGINALS_DIRNAME

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def index_dir(self) -> Path:
        return self.data_dir / INDEX_DIRNAME

    def with_overrides(self, **kwargs: object) -> "Settings":
        """Return a copy with the given non-None values replaced."""
        clean = {k: (Path(v) if k.endswith("_dir") and v is not None else v) for k, v in kwargs.items() if v is not None}
        return replace(self, **clean)


def load_settings(**overrides: object) -> Settings:
    return Settings().with_overrides(**overrides)
