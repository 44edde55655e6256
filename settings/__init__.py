"""The one configuration object: every path, limit and weight of Beleidsbank.

This package sits at the bottom of the stack next to ``nltext``: every layer may import it and
it imports nothing of ours.  Defaults live here and only here.  The shell (CLI, server) builds a
:class:`Settings` once — defaults, then ``BELEIDSBANK_*`` environment variables, then explicit
command-line values — and hands it (or the part a layer needs) down; no layer reads the
environment on its own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

#: The project checkout (the package is installed in editable mode by ``make install``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_CORPUS_DIR = PROJECT_ROOT / "corpus" / "documents"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

#: Names of the files and folders inside a data directory.
DB_FILENAME = "beleidsbank.sqlite"
INDEX_DIRNAME = "index"
#: The file naming the published generation (``gen-000012``) inside a data directory; replaced
#: atomically by each build, so a reader sees either the old or the new generation, never a mix.
CURRENT_FILENAME = "CURRENT"
GENERATION_PREFIX = "gen-"
#: Copies of the source files, served as a document's "origineel".
ORIGINALS_DIRNAME = "originals"

#: The statistical spaCy pipeline used when it is installed; a blank Dutch pipeline
#: with catalogue and rule-based components is used otherwise.
DEFAULT_SPACY_MODEL = "nl_core_news_sm"


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request or one input may cost; the same for UI, API and CLI."""

    #: Largest request body the API accepts (bytes); larger bodies get HTTP 413.
    max_request_bytes: int = 1_048_576
    #: A search query is cut to this many characters (UI, API and CLI alike).
    max_query_chars: int = 500
    #: ... and to this many query terms after analysis.
    max_query_terms: int = 64
    #: Deepest page a list offers (search results, statements); deeper pages are never useful and only cost.
    max_page: int = 100
    #: Results per page in the web UI.
    page_size: int = 10
    #: Rows per page on the measures page.
    measures_page_size: int = 20
    #: Mentions listed per document on an entity page (the rest through a filtered search).
    mentions_per_document: int = 100
    #: Characters of context on each side of a mention (entity pages, their CSV and the API), within its sentence.
    mention_context_chars: int = 80
    #: Largest API page (``limit``).
    max_api_limit: int = 100
    #: Most rows an export (``.csv``/``.ndjson`` of a search) holds; lists of the collection are exported whole.
    max_export_rows: int = 10_000
    #: Entries in an Atom feed (newest passages first).
    feed_entries: int = 50
    #: Time budget (seconds) of one text analysis (``POST /tag``, ``POST /statements``): past it the
    #: work stops and the API answers 503 (``settings.budget``).
    text_budget_seconds: float = 10.0
    #: Time budget (seconds) of one search or related-passages request (UI and API).
    search_budget_seconds: float = 5.0
    #: Memory (MB) per serving process for query terms' decoded postings and BM25F scores, kept across
    #: queries (least recently used dropped first; indexer.array_cache).  Everything the regulations
    #: collection's queries touch fits in far less; a cold common word costs tens of milliseconds.
    search_cache_mb: int = 256
    #: At start, each serving process reads and scores the index's most frequent terms (held by at least
    #: this many passages, most frequent first) for at most ``search_warm_seconds`` of CPU time and half
    #: the cache, so that the first queries using them do not decode them (Searcher.warm; 0 = off).
    search_warm_min_df: int = 1000
    search_warm_seconds: float = 3.0
    #: Request limit on the expensive POST endpoints, per client address and worker process: a
    #: token bucket refilled at this many requests per minute, holding at most ``post_burst``.
    post_per_minute: float = 30.0
    post_burst: int = 10
    #: Client addresses remembered by the request limit (the least recently seen are forgotten).
    rate_limit_clients: int = 10_000
    #: Longest word (letters) that compound splitting and elliptic-compound completion consider;
    #: no Dutch compound is longer, and the splitter's cost grows with the word.
    max_compound_chars: int = 64
    #: Ids of the other matching passages of a section listed with its search hit ("meer uit deze sectie").
    section_more_ids: int = 10
    #: Documents per page of the documents list.
    documents_page_size: int = 50
    #: Entities per page of the entities list.
    entities_page_size: int = 500
    #: Passages per page of an entity's mentions (one row per passage).
    entity_passages_page_size: int = 50
    #: Values a search facet lists before "Meer tonen" (the rest through its filter box).
    facet_values_shown: int = 10
    #: Characters of document text per page of a document's reading view.
    reading_page_chars: int = 60_000


@dataclass(frozen=True)
class IndexOptions:
    """How the search index cuts and analyses passages (chosen by measurement, bench/bench_peer.py)."""

    #: Passage granularity: "window" (paragraph windows), "section" or "block".
    granularity: str = "window"
    max_words: int = 120
    max_blocks: int = 3
    #: Compound parts: "field" (separate lower-weighted field), "inline" (same field) or "none".
    compounds: str = "field"
    stemmer: str = "dutch_porter"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class BuildOptions:
    """How a build uses the machine (chosen by measurement, bench/bench_scale.py)."""

    #: Worker processes for reading, tagging and index writing; 0 = one per core.
    workers: int = 0
    #: Documents handed to a worker at a time (keeps both cores busy without holding many in memory).
    chunk_docs: int = 4
    #: Documents in flight between the workers and the writer at most (bounds memory).
    max_in_flight: int = 32
    #: Index passages are grouped into buckets of about this many bytes of text, one Whoosh
    #: segment each; a changed document rewrites only its bucket.
    bucket_bytes: int = 2_000_000
    #: Most buckets (segments) an index has.
    max_buckets: int = 256
    #: A source file larger than this is built with a warning (it makes pages slow).
    huge_document_bytes: int = 8_000_000
    #: VACUUM the knowledge base when free pages exceed this share of the file ...
    vacuum_free_share: float = 0.2
    #: ... and this many bytes.
    vacuum_free_bytes: int = 32_000_000
    #: Seconds an older generation without a readers' lock file (built before there were any) is kept after
    #: a newer one is published, so requests that started on it finish first.
    generation_grace_seconds: float = 1.0
    #: Most seconds the build waits for the requests still reading an older generation before it removes
    #: it anyway (:mod:`settings.readers`; an idle older generation goes at once).
    generation_reader_wait_seconds: float = 30.0
    #: Seconds a second build waits for a running one before giving up; 0 = do not wait.
    lock_wait_seconds: float = 0.0
    #: Take a source file whose stat (size, mtime, ctime, inode of it and its sidecars) matches the last
    #: build's as unchanged without hashing it (``corpus.hashing.stat_key`` says what that can miss);
    #: False (``beleidsbank build --rehash``) hashes every file.
    trust_stat: bool = True

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)


def _field_weights() -> dict[str, float]:
    # path 0.8 and document_title 1.0 (were 0.4 and 0.2): on the regulations collection a passage's
    # chapter headings and its regulation's citeertitel often carry the query's subject
    # (bench/bench_quality_scale.py); the shipped dev queries score the same
    return {"text": 1.0, "title": 1.5, "path": 0.8, "document_title": 1.0, "entity_names": 0.4, "compounds": 0.5}


def _field_b() -> dict[str, float]:
    return {"text": 0.75, "title": 0.4, "path": 0.4, "document_title": 0.2, "entity_names": 0.5, "compounds": 0.75}


@dataclass
class Ranking:
    """Search ranking parameters (chosen by measurement on the dev queries, see bench/bench_peer.py)."""

    k1: float = 1.2
    field_weights: dict[str, float] = field(default_factory=_field_weights)
    field_b: dict[str, float] = field(default_factory=_field_b)
    coord_power: float = 2.0  # score *= (matched clauses / clauses) ** coord_power (3 measured worse at scale)
    #: clauses count in that fraction by their informativeness, idf(passages the clause matches)
    #: ** coord_idf: a rare query word outweighs a common one ("asielinstroom 2020"); 0 = all equal
    coord_idf: float = 1.0
    strict: bool = False  # AND first, OR only when AND finds nothing
    entity_weight: float = 1.0
    #: a query word naming a statement kind ("toezeggingen") scores the passages holding such
    #: statements like an entity's mentions, at this weight (indexer/statement_words.yaml)
    statement_weight: float = 1.0
    joinpart_weight: float = 0.8
    compound_weight: float = 0.6  # compounds-field match (word is part of a compound in the passage)
    parts_weight: float = 0.5  # all parts of a query compound present as separate words
    expansion_weight: float = 1.0
    fuzzy_weight: float = 0.7
    prefix_weight: float = 0.9
    #: query-time synonym expansion (kb/cues/synonyms.yaml): a query word in a synonym group is
    #: also searched as the group's other members, at this fraction of their score; 0 = off.
    synonym_weight: float = 0.4
    #: length normalisation treats a passage as at least this fraction of the average length, so a
    #: bare link or one-word line ("Direct naar de DPIA", "Verboden AI") does not outrank the
    #: passages that explain the subject
    min_length: float = 0.4
    #: a query naming a regulation ("beslistermijn Wob") also finds the passages of that regulation's own
    #: document (indexer/regulations.py), each scoring as one occurrence of a word that rare, times this
    #: (0.5: above it the named act's own articles crowd out the rules that apply it, e.g. "svb aow")
    regulation_weight: float = 0.5
    #: a hyphenated query word ("DNA-afname", "vmbo-school") whose parts do not all occur in a passage
    #: still matches it by its best part, at this fraction of that part's score
    hyphen_part_weight: float = 0.3


@dataclass(frozen=True)
class LawResolution:
    """When a regulation's name in a text resolves to one BWB id (kb/laws; measured with bench/bench_lawlinks.py)."""

    #: Share of the documents citing a regulation under a mined name that must agree on that regulation.
    purity: float = 0.85
    #: Citing documents a mined name needs (a long or one-word name with a head word needs one).
    min_docs: int = 2
    #: Documents that must cite one of several regulations sharing a short title to prefer it.
    official_majority_docs: int = 3
    #: Citing documents after which a two-letter abbreviation in capitals ("WW") needs no article before it.
    free_short_docs: int = 5
    #: Characters before a name searched for its article reference.
    max_reference_chars: int = 240
    #: Words of the description after a dated title that must agree with the official title.
    description_words: int = 4


@dataclass(frozen=True)
class RelatedWeights:
    """Related-passage retrieval: BM25 parameters and how its signals combine."""

    k1: float = 1.2
    b: float = 0.6
    title_weight: float = 1.5  # a candidate section title term counts as this many body occurrences
    sentence_weight: float = 0.5  # share of the best sentence's score added to the passage score
    q_focus: float = 1.0  # query weight of the focus passage's terms
    q_quote: float = 0.5  # extra weight of the quoted sentence's terms
    focus_rest: float = 40.0  # the rest of the focus passage weighs as if it had at most this many terms
    q_title: float = 0.8  # section title and breadcrumb
    q_context: float = 0.35  # the rest of the section (diluted for long sections)
    q_synonym: float = 0.6  # synonym expansions (times the weight of the term that fired the group)
    q_alias: float = 0.5  # aliases of tagged entities
    q_cap: float = 2.5  # no query term weighs more than this
    kind_bonus: float = 0.25  # bonus for a passage whose best sentence has the preferred statement type
    kind_any_bonus: float = 0.1  # smaller bonus when some other sentence of the passage has it
    entity_bonus: float = 0.6  # per shared entity, times its idf
    entity_outside_quote: float = 0.5  # weight of an entity of the focus paragraph outside the quote
    max_per_section: int = 2
    #: a word in more than this share of the passages (and more than ``common_min_df`` of them) is
    #: common: a passage that shares only common words with the query is not related
    common_share: float = 0.01
    common_min_df: int = 4


@dataclass(frozen=True)
class Reading:
    """Bounds on what the build reads from the corpus folder, per file; files beyond them are
    listed as "niet gelezen" with the reason.  The corpus layer gets these as ``ReadLimits``."""

    #: Largest source file read at all (bytes).
    max_file_bytes: int = 64 * 1024 * 1024
    #: Most characters of text one document may yield (after decoding or extraction).
    max_text_chars: int = 8_000_000
    #: Longest line in a .txt/.md file (a longer one is data, not prose).
    max_line_chars: int = 100_000
    #: Largest metadata sidecar or front matter (bytes), and its deepest nesting; YAML aliases are refused.
    max_yaml_bytes: int = 64 * 1024
    max_yaml_depth: int = 20
    #: OCR for PDF pages without a text layer (needs Tesseract); off by default, not built in yet.
    ocr: bool = False


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip().replace("_", "")
    return int(value) if value.isdigit() else default


def _env_reading() -> Reading:
    base = Reading()
    return Reading(
        max_file_bytes=_env_int("BELEIDSBANK_MAX_FILE_BYTES", base.max_file_bytes),
        max_text_chars=_env_int("BELEIDSBANK_MAX_TEXT_CHARS", base.max_text_chars),
        max_line_chars=_env_int("BELEIDSBANK_MAX_LINE_CHARS", base.max_line_chars),
        ocr=os.environ.get("BELEIDSBANK_OCR", "").lower() in ("1", "true", "ja"))


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def _env_public_url() -> str:
    return os.environ.get("BELEIDSBANK_PUBLIC_URL", "").strip().rstrip("/")


def _env_origins() -> tuple[str, ...]:
    return tuple(o for o in os.environ.get("BELEIDSBANK_CORS_ORIGINS", "").split(",") if o)


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run of the application."""

    data_dir: Path = field(default_factory=lambda: _env_path("BELEIDSBANK_DATA", DEFAULT_DATA_DIR))
    corpus_dir: Path = field(default_factory=lambda: _env_path("BELEIDSBANK_CORPUS", DEFAULT_CORPUS_DIR))
    spacy_model: str = field(default_factory=lambda: os.environ.get("BELEIDSBANK_SPACY_MODEL", DEFAULT_SPACY_MODEL))
    #: Public address of the site ("https://beleidsbank.example.nl"), the base of permalinks, citations,
    #: exported URLs and problem ``type`` URLs; never taken from a request's ``Host`` header.  Empty:
    #: links stay relative (``beleidsbank serve`` fills in its own http://host:port).
    public_url: str = field(default_factory=_env_public_url)
    #: Allowed CORS origins for the API; empty means CORS is off; ``*`` allows every origin.
    cors_origins: tuple[str, ...] = field(default_factory=_env_origins)
    limits: Limits = field(default_factory=Limits)
    index: IndexOptions = field(default_factory=IndexOptions)
    ranking: Ranking = field(default_factory=Ranking)
    related: RelatedWeights = field(default_factory=RelatedWeights)
    build: BuildOptions = field(default_factory=BuildOptions)
    laws: LawResolution = field(default_factory=LawResolution)
    reading: Reading = field(default_factory=_env_reading)

    @property
    def max_request_bytes(self) -> int:
        return self.limits.max_request_bytes

    @property
    def generation_dir(self) -> Path:
        """The published generation's folder (re-read on every call: a build may publish a new one)."""
        return current_generation(self.data_dir)

    @property
    def originals_dir(self) -> Path:
        return self.data_dir / ORIGINALS_DIRNAME

    @property
    def db_path(self) -> Path:
        return self.generation_dir / DB_FILENAME

    @property
    def index_dir(self) -> Path:
        return self.generation_dir / INDEX_DIRNAME

    def with_overrides(self, **kwargs: object) -> "Settings":
        """Return a copy with the given non-None values replaced."""
        clean = {k: (Path(v) if k.endswith("_dir") and v is not None else v) for k, v in kwargs.items() if v is not None}
        return replace(self, **clean)


def current_generation(data_dir: Path) -> Path:
    """The folder of the generation named in ``data_dir/CURRENT``; ``data_dir`` itself when there is
    none yet (a data directory from before generations, or one never built)."""
    data_dir = Path(data_dir)
    try:
        name = (data_dir / CURRENT_FILENAME).read_text(encoding="utf-8").strip()
    except OSError:
        return data_dir
    if name.startswith(GENERATION_PREFIX) and "/" not in name:
        return data_dir / name
    return data_dir


def load_settings(**overrides: object) -> Settings:
    return Settings().with_overrides(**overrides)
