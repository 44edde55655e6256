"""Search index over the knowledge base: Dutch analysis, passage schema, build and queries.

Public interface (everything else is internal and may change)::

    from indexer import Searcher, search_json
    s = Searcher(index_dir)                     # cheap; the opened index is shared per process
    s.search(q, limit=10, offset=0, filters={"document": ..., "type": ..., "entity": ...,
             "entity_type": ..., "year": ..., "statement": ..., "section": ...}, sort="relevance" | "date",
             group="none" | "section", facets=True, snippets=True, suggest=True) -> dict
    s.count(q, filters) -> int
    search_json(s, q, limit, offset, filters=..., sort=...) -> str

``search`` returns ``query``, ``total`` (entries of the ranked list: passages, or sections
with ``group="section"``), ``passages`` (matching passages: what the facets count),
``results`` (passages with ``id``, ``section_id``, ``document``, ``title``, ``path``,
``score``, ``snippet`` (HTML, matches in ``<mark>``), ``text``, ``entities``,
``more_in_section`` ({count, ids} of the section's other matching windows when grouped), ...),
``page`` (offset, limit, ``out_of_range``, ``last_offset``), ``facets``, ``suggestion`` and
``explain`` (how the query was read, as codes and values: :mod:`indexer.explain`; the web
layer words it).

Modules by job:

* :mod:`indexer.analysis`   Dutch analyzer (folding, stemming, joined words, compounds, ellipses)
* :mod:`indexer.schema`     retrieval unit (passages) and the Whoosh schema
* :mod:`indexer.build`      ``build_index(store, index_dir)`` in buckets, incremental, with atomic swap
* :mod:`indexer.build_info` what an index was built from (``build.json``), ``index_is_current``, stale leftovers
* :mod:`indexer.parser`     query language -> query tree
* :mod:`indexer.state`      one opened index generation (all Whoosh specifics of searching)
* :mod:`indexer.leaf_postings` a term's postings read from all segments at once (Whoosh's W3 files, fast path)
* :mod:`indexer.array_cache` decoded postings and terms' scores kept across queries (bounded in bytes)
* :mod:`indexer.scoring`    BM25F over the state's postings (sparse, cached per term)
* :mod:`indexer.clauses`    query words -> scored clauses (entities, synonyms, respelling)
* :mod:`indexer.evaluate`   query tree -> scores and matches
* :mod:`indexer.facets`     one class per facet/filter (document, type, entity type, entity, year,
                             statement kind; section as a filter only)
* :mod:`indexer.selection`  the passages facets count, counted without a pass over every passage
* :mod:`indexer.statement_kinds` statement kinds per passage; query words naming them
* :mod:`indexer.ranking`    ranked list, one hit per section when grouped, paging
* :mod:`indexer.snippets`   highlights and snippet windows
* :mod:`indexer.spelling`   known words, close spellings, "Bedoelde u"
* :mod:`indexer.explain`    structured account of how a query was read
* :mod:`indexer.searcher`   ``Searcher`` and ``search_json``
* :mod:`indexer.cli_format` human-readable rendering of a result

A second backend (e.g. OpenSearch) is a new state + scoring pair behind the same ``Searcher``
interface; nothing above ``indexer`` sees Whoosh.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from indexer.searcher import Searcher, search_json

__all__ = ["Searcher", "search_json"]


def __getattr__(name: str) -> Any:
    """Import the searcher on first use (``import indexer.analysis`` stays light)."""
    if name in __all__:
        from indexer import searcher

        return getattr(searcher, name)
    raise AttributeError(f"module 'indexer' has no attribute {name!r}")
