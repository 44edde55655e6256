"""The extraction step: statements, measures and allocations of one document into the store.

``extract_all(store, doc)`` replaces a document's statements, measures and allocations (delete +
insert) inside the caller's transaction: it neither begins nor commits.  It sits above the
extractors (``kb.statements``, ``kb.measures``, ``kb.allocations``), the store access
(``kb.extract_store``) and the related-passage index it invalidates, so none of those needs to
import it back.
"""
from __future__ import annotations

from typing import Any

from kb import related
from kb.allocations import extract_allocations
from kb.extract_store import replace_allocations, replace_measures, replace_statements
from kb.measures import extract_measures
from kb.statements import extract_statements
from kb.statements.extract import attach_mentions


def extract_all(store: Any, doc: Any) -> dict[str, int]:
    """Write statements, measures and allocations of ``doc`` (a ``corpus.model.Document``) into the store.

    Delete + insert per document, in the caller's transaction (call it inside ``store.transaction()``
    or commit afterwards).  Returns the counts written.
    """
    statements = extract_statements(doc)
    attach_mentions(statements, store.mentions(document_id=doc.id))  # the tagger ran first: entity ids per commitment
    measures = extract_measures(doc)
    allocations = extract_allocations(doc)
    replace_statements(store, doc.id, statements)
    replace_measures(store, doc.id, measures)
    replace_allocations(store, doc.id, allocations)
    related.invalidate(store)
    return {"statements": len(statements), "measures": len(measures), "allocations": len(allocations)}
