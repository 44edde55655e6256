"""What a page module returns: the page's data once, for every format it is rendered in.

Datasette's rule: every page has a ``.json`` twin, and every list page a ``.csv`` twin.  A page
module assembles a :class:`Page` — ``data`` is exactly the ``.json`` twin (plain, JSON-ready
values), the HTML template gets ``data`` plus ``extras`` (presentation only: rendered Markup,
URL builders) and a list page offers its rows as a :class:`Table` for the ``.csv`` twin.  The
formats themselves are written in ``webapp.ui.formats``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from werkzeug.exceptions import NotFound


@dataclass
class Table:
    """The rows of a list page for its CSV twin: all rows that match the page's filters, not one page.

    ``rows`` may be a generator: the CSV is streamed as it is produced.
    """

    name: str  # file name without extension, e.g. "zoekresultaten"
    columns: Sequence[tuple[str, str]]  # (key in a row, Dutch column header)
    rows: Iterable[dict[str, Any]]


@dataclass
class Page:
    template: str
    data: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)
    table: Callable[[], Table] | None = None  # built only when the CSV is asked for
    #: The query string the page understood (cleaned; unknown values dropped), for links to its
    #: twins; None: the request's own query string.
    params: dict[str, Any] | None = None
    #: HTTP status: 404 for a list page past its last page (the page says so and links back).
    status: int = 200


@dataclass
class Redirect:
    """The page lives elsewhere; the redirect keeps the requested format (fragment only for HTML)."""

    endpoint: str
    values: dict[str, Any]
    fragment: str = ""
    code: int = 302


def not_found(message: str) -> NotFound:
    """A 404 whose Dutch message is shown to the user (on the error page, or in the JSON twin)."""
    exc = NotFound(message)
    exc.dutch = True  # type: ignore[attr-defined]
    return exc
