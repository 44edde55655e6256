"""Search index over the knowledge base: Dutch analysis, passage schema, build and queries.

* :mod:`indexer.analysis`   Dutch analyzer (folding, stemming, joined words, compounds, ellipses)
* :mod:`indexer.schema`     retrieval unit (passages) and the Whoosh schema
* :mod:`indexer.build`      ``build_index(store, index_dir)`` with atomic swap, ``index_is_current``
* :mod:`indexer.query`      ``Searcher(index_dir).search(q, ...)`` and ``search_json``
* :mod:`indexer.cli_format` human-readable rendering of a result
"""
