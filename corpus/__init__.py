"""Corpus readers: turn policy files (plain text, Markdown, ...) into the section tree.

Public API: :func:`discover`, :func:`load_document`, :func:`iter_corpus`; the data model
lives in :mod:`corpus.model`.

Conventions every reader follows (see :mod:`corpus.sections`):

* ``Section.text`` is plain text, blocks separated by a blank line; ``Section.markdown`` is
  the same content as safe Markdown *without the section heading* (the page shows
  ``title``/``path`` itself).  Footnote references are ``[1]`` in text and superscript
  digits in Markdown; footnote bodies live in ``Section.footnotes`` of the citing section.
* Level 0 is the introduction (text before the first heading, title "Inleiding", id
  ``{doc}:inleiding``) or a document-title heading; level-0 sections are never parents.
* Section ids are ``{doc_id}:{slug of title}`` with ``-2``, ``-3`` for repeats.
"""
from .loader import discover, document_ids, iter_corpus, load_document
from .model import Block, Document, Footnote, ReaderError, Section
from .readers.base import ParsedDocument, Reader, reader_for, register_reader

__all__ = ["discover", "load_document", "iter_corpus", "document_ids", "Document", "Section", "Block",
           "Footnote", "ReaderError", "Reader", "ParsedDocument", "register_reader", "reader_for"]
