"""Corpus readers: turn policy files (plain text, Markdown, ...) into the section tree.

Public API: :func:`discover`, :func:`load_document`, :func:`iter_corpus`; the data model
lives in :mod:`corpus.model`.
"""
from .loader import discover, document_ids, iter_corpus, load_document
from .model import Block, Document, Footnote, ReaderError, Section
from .readers.base import ParsedDocument, Reader, reader_for, register_reader

__all__ = ["discover", "load_document", "iter_corpus", "document_ids", "Document", "Section", "Block",
           "Footnote", "ReaderError", "Reader", "ParsedDocument", "register_reader", "reader_for"]
