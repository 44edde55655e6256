"""PDF reading speed: pages per second on the report the reader tests generate.

What: pages/s of :class:`corpus.readers.pdf.PdfReader` (pypdfium2 extraction plus layout
analysis), split into the extraction and the analysis step, and, for comparison, pages/s of
pdfplumber's word extraction on the same file when pdfplumber is installed (it was the
alternative considered; it is not a dependency).

How: the synthetic report of ``tests/fixtures`` (cover, running header, footnotes, table,
two-column section; written with python-docx and converted by headless LibreOffice, 7 pages)
is concatenated ``--copies`` times with pypdfium2 into one larger PDF, so the figure is not
dominated by per-file start-up.  Each measurement is the best of ``--repeat`` runs.  Timings
on a shared machine are noisy; compare runs on the same machine only.

Output: one JSON object on stdout.

    python bench/bench_pdf.py [--copies 20] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import pypdfium2 as pdfium

    from corpus.limits import DEFAULT_LIMITS
    from corpus.readers.pdf import PdfReader
    from corpus.readers.pdf.extract import extract_pages
    from corpus.readers.pdf.layout import analyse
    from tests.fixtures.make_docx import generated_report

    report = generated_report()["pdf"]
    big = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(report))
    for _ in range(args.copies):
        big.import_pages(source)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rapport-groot.pdf"
        big.save(str(path))
        data = path.read_bytes()
    pages = len(big)
    reader = PdfReader()
    total = _best(lambda: reader.read_bytes(data, doc_id="bench", source_path="bench.pdf"), args.repeat)
    extract = _best(lambda: extract_pages(data, "bench.pdf", DEFAULT_LIMITS.max_text_chars), args.repeat)
    extracted = extract_pages(data, "bench.pdf", DEFAULT_LIMITS.max_text_chars)
    layout = _best(lambda: analyse([type(p)(p.number, p.width, p.height, list(p.spans), p.chars)
                                    for p in extracted]), args.repeat)
    result = {
        "what": "PDF reading speed (pages per second), pypdfium2 extraction + layout analysis",
        "how": f"synthetic 7-page report (LibreOffice) x {args.copies} copies in one PDF; best of {args.repeat}",
        "pages": pages,
        "bytes": len(data),
        "read_pages_per_s": round(pages / total, 1),
        "extract_pages_per_s": round(pages / extract, 1),
        "layout_pages_per_s": round(pages / layout, 1),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    try:
        import pdfplumber
    except ImportError:
        result["pdfplumber_words_pages_per_s"] = None
    else:
        def plumber() -> None:
            with pdfplumber.open(str(report)) as pdf:
                for p in pdf.pages:
                    p.extract_words(extra_attrs=["fontname", "size"])

        with pdfplumber.open(str(report)) as pdf:
            n = len(pdf.pages)
        result["pdfplumber_words_pages_per_s"] = round(n / _best(plumber, args.repeat), 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
