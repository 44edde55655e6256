"""Readers per file format; importing this package registers the built-in readers."""
from . import docx as _docx  # noqa: F401  (registers .docx)
from . import html as _html  # noqa: F401  (registers .html, .htm)
from . import markdown as _markdown  # noqa: F401  (registers .md, .markdown)
from . import pdf as _pdf  # noqa: F401  (registers .pdf)
from . import plaintext as _plaintext  # noqa: F401  (registers .txt)
from .base import ParsedDocument, Reader, reader_for, register_reader, registered_extensions

__all__ = ["ParsedDocument", "Reader", "reader_for", "register_reader", "registered_extensions"]
