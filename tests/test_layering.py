"""Import contracts: data flows one way, and no module imports itself round a cycle.

The layers, top to bottom (a layer may import the layers below it, never one above):

    beleidsbank   the shell: command line, build pipeline, server
    webapp        Flask UI and JSON API
    indexer       Whoosh index, query parsing, ranking
    kb            knowledge base: catalogue, tagger, statements, measures, related passages, store
    corpus        readers: documents into sections and blocks
    nltext        shared Dutch-text code (its limits come from settings)
    settings      the one configuration object: any layer may import it, it imports nothing of ours

Checked on the import graph that grimp (the graph library behind import-linter) builds from the
source: every ``import`` statement counts, also those inside functions; imports under
``if TYPE_CHECKING:`` do not (they never run).
"""
from __future__ import annotations

import importlib.util
from typing import Iterable

import grimp
import pytest

LAYERS: list[tuple[str, ...]] = [
    ("beleidsbank",), ("webapp",), ("indexer",), ("kb",), ("corpus",), ("nltext",), ("settings",),
]
PACKAGES = [p for layer in LAYERS for p in layer if importlib.util.find_spec(p) is not None]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)


def _where(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    lines = [f"{d['importer']}:{d['line_number']} imports {d['imported']}"
             for d in graph.get_import_details(importer=importer, imported=imported)]
    return "; ".join(lines) or f"{importer} imports {imported}"


def test_the_layer_packages_exist() -> None:
    for required in ("beleidsbank", "webapp", "indexer", "kb", "corpus", "settings"):
        assert required in PACKAGES, required


def test_layers_import_only_downwards(graph: grimp.ImportGraph) -> None:
    layers = [grimp.Layer(*[p for p in layer if p in PACKAGES], independent=True) for layer in LAYERS]
    illegal = graph.find_illegal_dependencies_for_layers(layers=[layer for layer in layers if layer.module_tails])
    problems = []
    for dep in sorted(illegal, key=lambda d: (d.importer, d.imported)):
        for route in dep.routes:
            chain = [sorted(route.heads)[0], *route.middle, sorted(route.tails)[0]]
            problems.append(f"{dep.importer} -> {dep.imported}: " + " -> ".join(chain) + " ("
                            + _where(graph, chain[0], chain[1]) + ")")
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def _cycles(graph: grimp.ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    out.append(sorted(group))
    return out


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    cycles = _cycles(graph, graph.modules)
    report = []
    for group in cycles:
        members = set(group)
        edges = [_where(graph, a, b) for a in group for b in sorted(graph.find_modules_directly_imported_by(a))
                 if b in members]
        report.append(", ".join(group) + "\n    " + "\n    ".join(edges))
    assert not cycles, "modules that import each other (also through function-level imports):\n" + "\n".join(report)


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check itself: a graph with a function-level round trip is reported."""
    g = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        g.add_module(module)
    g.add_import(importer="pkg.a", imported="pkg.b")
    g.add_import(importer="pkg.b", imported="pkg.c")
    g.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(g, g.modules) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_settings_and_webapp_stay_apart_from_the_shell(graph: grimp.ImportGraph) -> None:
    """Spelled out because they once did: ``webapp`` read ``beleidsbank.config``; ``settings`` imports nothing of ours."""
    assert not graph.chain_exists(importer="webapp", imported="beleidsbank", as_packages=True)
    others = [p for p in PACKAGES if p != "settings"]
    for module in {"settings", *graph.find_descendants("settings")}:
        assert not [m for m in graph.find_modules_directly_imported_by(module) if m.split(".")[0] in others], module
