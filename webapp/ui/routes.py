"""The routes of the search interface: each reads the request, asks its page module for the
page's data and renders it in the format asked for (HTML, ``.json``, ``.csv``, ``.ndjson``; the
search and the statements also as an Atom feed, ``webapp.feeds``)."""
from __future__ import annotations

from flask import request, send_file

from webapp.budgets import request_budget
from webapp.feeds import atom_response, commitments_feed, search_feed, statements_feed
from webapp.pages.commitments import commitments_page
from webapp.pages.documents import document_page, documents_page, home_page, original_file, reading_page
from webapp.pages.entities import entities_page, entity_page
from webapp.pages.funds import fund_page, funds_page
from webapp.pages.measures import measures_page
from webapp.pages.passage import passage_page
from webapp.pages.search import search_page
from webapp.ui.blueprint import ui_bp
from webapp.ui.formats import page_route, respond


@page_route("/", "home", twin="/index")
def home(fmt: str):
    return respond(home_page(), fmt)


@page_route("/zoeken", "search", csv=True, feed=True)
def search(fmt: str):
    with request_budget("search"):
        if fmt == "atom":
            return atom_response(search_feed(request.args))
        return respond(search_page(request.args), fmt)


@page_route("/passages/<path:passage_id>", "passage")
def passage(passage_id: str, fmt: str):
    with request_budget("search"):  # the related passages it shows are a search
        return respond(passage_page(passage_id, request.args), fmt)


@page_route("/documenten", "documents", csv=True)
def documents(fmt: str):
    return respond(documents_page(request.args), fmt)


@page_route("/documenten/<doc_id>", "document")
def document(doc_id: str, fmt: str):
    return respond(document_page(doc_id), fmt)


@page_route("/documenten/<doc_id>/tekst", "document_text")
def document_text(doc_id: str, fmt: str):
    return respond(reading_page(doc_id, request.args), fmt)


@ui_bp.get("/documenten/<doc_id>/origineel")
def original(doc_id: str):
    """The kept source file: its own MIME type, never sniffed; a PDF opens in the browser (so that
    ``#page=N`` works), every other type is a download (an HTML original is never run on this site)."""
    path, name, mime = original_file(doc_id)
    inline = mime == "application/pdf"
    resp = send_file(path, mimetype=mime, as_attachment=not inline, download_name=name, conditional=True,
                     max_age=3600)
    resp.headers["Content-Type"] = mime  # the file's own bytes: no charset is claimed for it
    # a download runs nothing; a PDF needs the browser's viewer (an <embed> of the file itself)
    resp.headers["Content-Security-Policy"] = ("default-src 'none'; object-src 'self'; frame-ancestors 'none'" if inline
                                               else "default-src 'none'; sandbox")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@page_route("/entiteiten", "entities", csv=True)
def entities(fmt: str):
    return respond(entities_page(request.args), fmt)


@page_route("/entiteiten/<entity_id>", "entity", csv=True)
def entity(entity_id: str, fmt: str):
    return respond(entity_page(entity_id, request.args), fmt)


@page_route("/maatregelen", "measures", csv=True, feed=True)
def measures(fmt: str):
    if fmt == "atom":
        return atom_response(statements_feed(request.args))
    return respond(measures_page(request.args), fmt)


@page_route("/fondsen", "funds", csv=True)
def funds(fmt: str):
    return respond(funds_page(), fmt)


@page_route("/fondsen/<code>", "fund", csv=True)
def fund(code: str, fmt: str):
    return respond(fund_page(code), fmt)


@page_route("/toezeggingen", "commitments", csv=True, feed=True)
def commitments(fmt: str):
    if fmt == "atom":
        return atom_response(commitments_feed(request.args))
    return respond(commitments_page(request.args), fmt)
