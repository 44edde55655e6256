"""The ``beleidsbank`` command: build, inspect, search, tag and serve.

The JSON outputs of ``search``, ``tag``, ``related`` and ``allocations`` are contracts other
tools and the evaluation rely on: extend them, never rename keys.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from settings import Settings, load_settings

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="BELEIDSBANK_DATA",
    help="Datamap met kennisbank en index (standaard: data/ in het project; ook via BELEIDSBANK_DATA).",
)


def _settings(data_dir: Path | None, **extra: Any) -> Settings:
    return load_settings(data_dir=data_dir, **extra)


def _emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=None))


def _require_built(settings: Settings) -> None:
    from beleidsbank.pipeline import is_built

    if not is_built(settings):
        raise click.ClickException(
            f"geen kennisbank in {settings.data_dir}; bouw die eerst met `beleidsbank build --data {settings.data_dir}`"
        )


LEVEL_NAMES_NL = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "waarschuwing",
                  logging.ERROR: "fout", logging.CRITICAL: "kritiek"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Meer meldingen op stderr.")
def main(verbose: bool) -> None:
    """Beleidsbank: kennisbank en zoekmachine voor Nederlandse beleidsteksten."""
    for level, name in LEVEL_NAMES_NL.items():  # users read Dutch, also in log lines
        logging.addLevelName(level, name)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s" if verbose else "%(levelname)s: %(message)s")


def counts_line(c: dict[str, Any]) -> str:
    """The collection in Dutch, with the numbers the web pages show (``Store.collection_counts``)."""
    from webapp.dutch import STATEMENT_KINDS_NL

    kinds = ", ".join(f"{STATEMENT_KINDS_NL[k][1].lower()} {n}"
                      for k, n in c.get("statement_kinds", {}).items() if k in STATEMENT_KINDS_NL)
    return (f"documenten: {c['documents']}, secties: {c['sections']}, entiteiten: {c['entities']} genoemd"
            f" (van {c['catalogue']} in de catalogus), vermeldingen: {c['mentions']} (plus {c['values']} datums,"
            f" bedragen en percentages), uitspraken: {c['statements']}" + (f" ({kinds})" if kinds else "")
            + f", maatregelen: {c['measures']}, allocaties: {c['allocations']}")


@main.command()
@DATA_OPTION
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="BELEIDSBANK_CORPUS", help="Map met brondocumenten, recursief gelezen (standaard: corpus/).")
@click.option("--model", "spacy_model", default=None, envvar="BELEIDSBANK_SPACY_MODEL",
              help="spaCy-pijplijn voor statistische entiteiten (standaard nl_core_news_sm, indien geïnstalleerd).")
@click.option("--quiet", is_flag=True, help="Geen voortgangsbalken.")
@click.option("--stage", type=click.Choice(["all", "register"]), default="all", show_default=True,
              help="'register': alleen het register van regelingen (titels, citeertitels en verwijzingen van de "
                   "regelingbestanden <BWB-id>.md), zonder taggen en index.")
@click.option("--rehash", is_flag=True,
              help="Lees en hash elk bestand opnieuw, ook als grootte en tijdstempels niet veranderden.")
def build(data_dir: Path | None, corpus_dir: Path | None, spacy_model: str | None, quiet: bool, stage: str,
          rehash: bool = False) -> None:
    """Bouw kennisbank en index uit het corpus (incrementeel; ongewijzigde bestanden worden overgeslagen)."""
    import dataclasses

    from beleidsbank.generations import BuildLocked
    from beleidsbank.pipeline import build as run_build

    settings = _settings(data_dir, corpus_dir=corpus_dir, spacy_model=spacy_model)
    if rehash:
        settings = dataclasses.replace(settings, build=dataclasses.replace(settings.build, trust_stat=False))
    try:
        report = run_build(settings, progress=not quiet, stage=stage)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    except BuildLocked as exc:
        raise click.ClickException(str(exc)) from exc
    reg = report.register
    if reg is not None and (reg.files or stage == "register"):
        click.echo(f"register van regelingen: {reg.files} bestanden ({reg.read} gelezen, {reg.removed} verwijderd), "
                   f"{reg.regulations} regelingen, {reg.names} namen", err=True)
    if stage == "register":
        for err in report.errors:
            click.echo(f"fout: {err}", err=True)
        return
    click.echo(f"pijplijn: {report.pipeline}", err=True)
    click.echo(
        f"gelezen: {len(report.read)}, ongewijzigd: {len(report.unchanged)}, verwijderd: {len(report.removed)}, "
        f"getagd: {len(report.tagged)}, fouten: {len(report.errors)}, index herbouwd: "
        f"{'ja' if report.index_rebuilt else 'nee'} ({report.seconds} s)",
        err=True,
    )
    if report.stages:
        click.echo("tijd per fase: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.stages.items()), err=True)
    if report.index:
        ix = report.index
        click.echo(f"index: {ix['passages']} passages in {ix['n_buckets']} buckets, {ix['buckets_written']} "
                   f"geschreven{' (incrementeel)' if ix['incremental'] else ''}", err=True)
    if report.counts:
        click.echo(counts_line(report.counts), err=True)
    for warning in report.warnings:
        click.echo(f"waarschuwing: {warning}", err=True)
    for err in report.errors:
        click.echo(f"fout: {err}", err=True)


@main.command()
@DATA_OPTION
@click.argument("document_id", required=False)
def show(data_dir: Path | None, document_id: str | None) -> None:
    """Toon de inhoudsopgave van alle documenten, of van één document."""
    from kb.store import Store

    settings = _settings(data_dir)
    _require_built(settings)
    with Store(settings.db_path, readonly=True) as store:
        docs = store.documents()
        if document_id:
            docs = [d for d in docs if d["id"] == document_id]
            if not docs:
                raise click.ClickException(f"onbekend document: {document_id}")
        for doc in docs:
            click.echo(f"{doc['title']} [{doc['id']}]")
            for sec in store.sections(doc["id"]):
                click.echo("  " * (sec["level"] + 1) + sec["title"])


@main.command()
@DATA_OPTION
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(0, 1000))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0, None))
@click.option("--document", default=None, help="Alleen dit document (id).")
@click.option("--type", "doc_type", default=None, help="Alleen dit soort document (jaarverslag, contourennota, ...).")
@click.option("--entity", default=None, help="Alleen passages die deze entiteit noemen (id).")
@click.option("--statement", default=None,
              help="Alleen passages met een uitspraak van deze soort (commitment, result, problem, measure).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--group", type=click.Choice(["none", "section"]), default="none", show_default=True,
              help="section: één resultaat per sectie, met het aantal andere passende passages daarin.")
@click.argument("query", nargs=-1)
def search(data_dir: Path | None, as_json: bool, limit: int, offset: int, document: str | None,
           doc_type: str | None, entity: str | None, statement: str | None, sort: str, group: str,
           query: tuple[str, ...]) -> None:
    """Zoek passages."""
    from indexer import Searcher
    from indexer.cli_format import format_results
    from kb.store import Store
    from webapp.search_wording import with_interpretation

    settings = _settings(data_dir)
    _require_built(settings)
    q = " ".join(query)
    filters = {k: v for k, v in {"document": document, "type": doc_type, "entity": entity,
                                 "statement": statement}.items() if v}
    with Store(settings.db_path, readonly=True) as store:
        searcher = Searcher(settings.index_dir, store)
        result = with_interpretation(searcher.search(q, limit=limit, offset=offset, filters=filters, sort=sort,
                                                     group=group))
    if as_json:
        _emit_json(result)
    else:
        click.echo(format_results(result))


def _knowledge_base_tagger(settings: Settings) -> Any:
    """The tagger ``tag`` and ``statements`` use (and the API's ``/tag`` and ``/statements``): with the
    knowledge base's abbreviation definitions and register of regulations when it is built."""
    from kb.tagger import build_tagger

    if not settings.db_path.exists():
        return build_tagger(model=settings.spacy_model)
    from kb.laws.store import register_source
    from kb.store import Store

    with Store(settings.db_path, readonly=True) as store:
        return build_tagger(definitions=store.definitions(), model=settings.spacy_model,
                            register=register_source(store.conn, settings.data_dir))


@main.command()
@DATA_OPTION
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def tag(data_dir: Path | None, as_json: bool) -> None:
    """Tag entiteiten in tekst van stdin (UTF-8)."""
    from kb.tagger import tag_json

    settings = _settings(data_dir)
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    payload = tag_json(text, _knowledge_base_tagger(settings))
    if as_json:
        _emit_json(payload)
    else:
        for ent in payload["entities"]:
            click.echo(f"{ent['start']:>6}-{ent['end']:<6} {ent['label']:<9} {ent['kb_id']:<30} {ent['text']}")


@main.command()
@DATA_OPTION
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--date", "ref_date", default=None, metavar="JJJJ-MM-DD",
              help="Datum van de tekst: relatieve termijnen ('binnen drie maanden', 'dit najaar') tellen hiervandaan.")
@click.option("--no-entities", is_flag=True, help="Geen entiteiten taggen (sneller).")
def statements(data_dir: Path | None, as_json: bool, ref_date: str | None, no_entities: bool) -> None:
    """Toezeggingen, resultaten en problemen in tekst van stdin (UTF-8), met wie, wat en wanneer.

    Entiteiten worden alleen getagd als de tekst een toezegging bevat (de tagger laden kost tijd).
    """
    from datetime import date

    from kb.statements import statements_json

    try:
        ref = date.fromisoformat(ref_date) if ref_date else None
    except ValueError as exc:
        raise click.BadParameter(f"geen datum in de vorm JJJJ-MM-DD: {ref_date!r}", param_hint="--date") from exc
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    payload = statements_json(text, ref=ref)
    if not no_entities and any(s["kind"] == "commitment" for s in payload["statements"]):
        from kb.tagger import tag_json

        entities = tag_json(text, _knowledge_base_tagger(_settings(data_dir)))["entities"]
        payload = statements_json(text, ref=ref, entities=entities)
    if as_json:
        _emit_json(payload)
        return
    for s in payload["statements"]:
        if s["kind"] == "other":
            continue
        flags = "".join((" [ontkend]" if s["negated"] else "", " [voorwaardelijk]" if s["conditional"] else ""))
        click.echo(f"{s['start']:>6}-{s['end']:<6} {s['kind']:<10} {s['text']}{flags}")
        if s["kind"] == "commitment":
            actor = (s.get("actor") or {}).get("label") or "?"
            action = (s.get("action") or {}).get("lemma") or "?"
            deadline = (s.get("deadline") or {}).get("text") or "-"
            click.echo(f"{'':14}wie: {actor}; wat: {action}; wanneer: {deadline}")


@main.command()
@DATA_OPTION
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--type", "label", default=None, help="Alleen dit type (ORG, LAW, SYSTEM, FUND, PROGRAMME, ...).")
def entities(data_dir: Path | None, as_json: bool, label: str | None) -> None:
    """Toon de entiteitencatalogus met het aantal vermeldingen."""
    from kb.store import Store

    settings = _settings(data_dir)
    _require_built(settings)
    with Store(settings.db_path, readonly=True) as store:
        rows = store.entities(label.upper() if label else None)
    if as_json:
        _emit_json({"entities": rows})
        return
    for r in rows:
        click.echo(f"{r['mention_count']:>5}  {r['label']:<9} {r['id']:<36} {r['name']}")


@main.command()
@DATA_OPTION
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.argument("quote")
def related(data_dir: Path | None, as_json: bool, limit: int, quote: str) -> None:
    """Vind passages in andere documenten over dezelfde maatregel als de passage met QUOTE."""
    from kb.related import related_json
    from kb.store import Store

    settings = _settings(data_dir)
    _require_built(settings)
    with Store(settings.db_path, readonly=True) as store:
        payload = related_json(store, quote, limit)
    if payload is None or payload.get("passage") is None:
        raise click.ClickException(f"geen passage gevonden met het citaat: {quote[:80]!r}")
    if as_json:
        _emit_json(payload)
        return
    click.echo(f"Passage: {payload['passage'].get('id')}")
    for r in payload["related"]:
        click.echo(f"  {r['score']:.3f}  {r['id']}  ({r['reason']})")


@main.command()
@DATA_OPTION
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def allocations(data_dir: Path | None, as_json: bool) -> None:
    """Toon de indicatieve budgetallocaties per fonds."""
    from kb.allocations import allocations_json
    from kb.store import Store

    settings = _settings(data_dir)
    _require_built(settings)
    with Store(settings.db_path, readonly=True) as store:
        payload = allocations_json(store)
    if as_json:
        _emit_json(payload)
        return
    for a in payload["allocations"]:
        click.echo(f"{a['fund']:<6} {a['share']:>6.1f}%  {a.get('measure') or ''}")


@main.command()
@DATA_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, envvar="BELEIDSBANK_HOST")
@click.option("--port", default=5000, show_default=True, type=int, envvar="BELEIDSBANK_PORT")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), envvar="BELEIDSBANK_WORKERS")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), envvar="BELEIDSBANK_THREADS")
def serve(data_dir: Path | None, host: str, port: int, workers: int, threads: int) -> None:
    """Serveer de webapplicatie met een productie-WSGI-server (gunicorn)."""
    from beleidsbank.server import run

    settings = _settings(data_dir)
    _require_built(settings)
    run(settings, host=host, port=port, workers=workers, threads=threads)


if __name__ == "__main__":  # pragma: no cover
    main()
