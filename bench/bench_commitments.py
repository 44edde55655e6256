"""Commitment recognition: cue rules against a trained spaCy text classifier, and both combined.

What: precision, recall and F1 of "does this text contain a commitment" on judged sets (the
shared dev set, our own held-out set), scored exactly like ``../shared/eval/score.py statements``:
a text counts as a commitment when any of its sentences is one.

Methods:
* ``rules``: ``kb.statements`` (cue file ``kb/cues/statements.yaml``), in process;
* ``textcat-bow`` / ``textcat-ensemble``: spaCy ``textcat`` on a blank ``nl`` pipeline (no
  pretrained vectors exist here), bag-of-words uni+bigrams / the default ensemble, trained on
  ``kb/cues/commitment_sentences.tsv`` (our own sentences; never the judged sets) for a fixed
  number of epochs with a fixed seed; a text's score is the highest of its sentences' scores;
* ``rules-and-textcat``: a rule commitment that the classifier does not reject (score >= 0.2);
* ``rules-or-textcat``: either says commitment (classifier score >= 0.8 on its own).

Also reported: training seconds and sentences per second of each method (timings are noisy on
the shared 2-core machine).

    .venv/bin/python bench/bench_commitments.py [--gold FILE ...] [--epochs 20] [-v]

Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.sentences import split_sentences  # noqa: E402
from kb.statements import classify_sentence  # noqa: E402

TRAINING = ROOT / "kb" / "cues" / "commitment_sentences.tsv"
DEFAULT_GOLD = [ROOT.parent / "shared" / "eval" / "dev_commitments.json", ROOT / "tests" / "data" / "heldout_commitments.json"]


def training_sentences(path: Path = TRAINING) -> list[tuple[str, bool]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _kind, text = line.split("\t", 2)
        if label not in ("0", "1"):
            raise ValueError(f"{path}:{n}: label must be 0 or 1, not {label!r}")
        out.append((text, label == "1"))
    return out


def train_textcat(architecture: str, epochs: int, seed: int = 13):
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("nl")
    if architecture == "bow":
        config = {"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                            "no_output_layer": False, "length": 262144}}
    else:
        config = {}
    textcat = nlp.add_pipe("textcat", config=config)
    textcat.add_label("COMMITMENT")
    textcat.add_label("OTHER")
    data = training_sentences()
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {"COMMITMENT": float(y), "OTHER": float(not y)}}) for t, y in data]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for i in range(0, len(examples), 16):
            nlp.update(examples[i:i + 16], sgd=optimizer, drop=0.2)
    return nlp


def text_score(nlp, text: str) -> float:
    sents = [sp.text for sp in split_sentences(text)] or [text]
    return max(doc.cats["COMMITMENT"] for doc in nlp.pipe(sents))


def rules_says(text: str) -> bool:
    return any(classify_sentence(sp.text).kind == "commitment" for sp in split_sentences(text))


def prf(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "found": tp, "false": fp, "missed": fn}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", nargs="*", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    report: dict = {"what": "commitment recognition per text (any sentence a commitment), P/R/F1 like score.py statements",
                    "training_sentences": len(training_sentences()), "epochs": args.epochs, "sets": {}, "seconds": {}}
    models = {}
    for arch in ("bow", "ensemble"):
        t0 = time.perf_counter()
        models[arch] = train_textcat(arch, args.epochs)
        report["seconds"][f"train textcat-{arch}"] = round(time.perf_counter() - t0, 2)
    for gold_path in args.gold:
        if not gold_path.exists():
            continue
        items = json.loads(gold_path.read_text(encoding="utf-8"))["items"]
        gold = [bool(it["commitment"]) for it in items]
        t0 = time.perf_counter()
        rules = [rules_says(it["text"]) for it in items]
        rules_s = time.perf_counter() - t0
        scores = {}
        for arch, nlp in models.items():
            t0 = time.perf_counter()
            scores[arch] = [text_score(nlp, it["text"]) for it in items]
            report["seconds"][f"{gold_path.name} textcat-{arch}"] = round(time.perf_counter() - t0, 2)
        report["seconds"][f"{gold_path.name} rules"] = round(rules_s, 2)
        results = {"rules": prf(rules, gold)}
        for arch in models:
            results[f"textcat-{arch}"] = prf([s >= 0.5 for s in scores[arch]], gold)
            results[f"rules-and-textcat-{arch}"] = prf([r and s >= 0.2 for r, s in zip(rules, scores[arch])], gold)
            results[f"rules-or-textcat-{arch}"] = prf([r or s >= 0.8 for r, s in zip(rules, scores[arch])], gold)
        report["sets"][gold_path.name] = {"texts": len(items), "commitments": sum(gold), **results}
        if args.verbose:
            for it, g, r, s in zip(items, gold, rules, scores["bow"]):
                if r != g or (s >= 0.5) != g:
                    print(f"  gold={int(g)} rules={int(r)} bow={s:.2f} {it['text'][:100]!r}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
