"""Scoring the checker against gold labels (shared/corpus/dev/labels.jsonl). Pure: reads files, no ORM.

Only labels with confidence "high" are scored. Metrics: status accuracy; precision/recall/F1 per status
and their macro average; per-topic accuracy; the share of our evidence quotes found verbatim in the
document; governing-law value accuracy (sets of canonical jurisdictions compared, see
clauses.nlp.values.normalise_jurisdictions); and the list of misses.
"""
import json
from collections import defaultdict
from pathlib import Path

from clauses.nlp.check import check_text
from clauses.nlp.values import normalise_jurisdictions

STATUSES = ("present", "conflict", "missing")


class CorpusMissing(FileNotFoundError):
    """The corpus folder or its labels file is absent; str() says where it was looked for."""


def load_labels(corpus: Path) -> list[dict]:
    """Return the high-confidence gold labels; raise CorpusMissing when the files are absent."""
    path = Path(corpus) / "dev" / "labels.jsonl"
    if not path.is_file():
        raise CorpusMissing(f"no gold labels at {path}; pass --corpus PATH to the shared corpus folder")
    labels = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [lab for lab in labels if lab.get("confidence") == "high"]


def prf(gold: list[str], pred: list[str], status: str) -> dict:
    """Return precision/recall/F1 and support of `status`."""
    tp = sum(g == status and p == status for g, p in zip(gold, pred, strict=True))
    fp = sum(g != status and p == status for g, p in zip(gold, pred, strict=True))
    fn = sum(g == status and p != status for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": tp + fn}


def evaluate(corpus: Path) -> dict:
    """Scan every labelled document with its label's profile and score the reports (dict of metrics)."""
    corpus = Path(corpus)
    labels = load_labels(corpus)
    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for lab in labels:
        by_doc[(lab["doc"], lab["profile"])].append(lab)
    gold, pred, misses = [], [], []
    per_topic: dict[str, dict] = defaultdict(lambda: {"n": 0, "correct": 0})
    quotes = verbatim = 0
    law_total = law_ok = 0
    law_rows = []
    for (doc, profile), labs in sorted(by_doc.items()):
        path = corpus / "raw" / f"{doc}.txt"
        text = path.read_text(encoding="utf-8")
        report = check_text(text, name=path.name, profile=profile)
        rows = {r["topic"]: r for r in report["topics"]}
        for r in report["topics"]:
            for ev in r["evidence"]:
                quotes += 1
                verbatim += ev["quote"] in text and text[ev["start"]:ev["end"]] == ev["quote"]
        for lab in labs:
            row = rows[lab["topic"]]
            gold.append(lab["status"])
            pred.append(row["status"])
            pt = per_topic[lab["topic"]]
            pt["n"] += 1
            pt["correct"] += lab["status"] == row["status"]
            if lab["status"] != row["status"]:
                misses.append({"doc": doc, "topic": lab["topic"], "gold": lab["status"], "predicted": row["status"],
                               "evidence": [e["quote"][:200] for e in row["evidence"][:2]],
                               "rules": [e.get("rule") for e in row["evidence"][:3]], "note": lab.get("note", "")})
            if lab["topic"] == "compliance.governing_law" and lab["status"] == "present" and lab.get("value"):
                law_total += 1
                ok = normalise_jurisdictions(lab["value"]) == normalise_jurisdictions(row["value"])
                law_ok += ok
                law_rows.append({"doc": doc, "gold": lab["value"], "predicted": row["value"], "ok": ok})
    per_status = {s: prf(gold, pred, s) for s in STATUSES}
    return {
        "labels": len(gold),
        "documents": len(by_doc),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 3) if gold else 0.0,
        "per_status": per_status,
        "macro_f1": round(sum(v["f1"] for v in per_status.values()) / len(STATUSES), 3),
        "per_topic": {t: {**v, "accuracy": round(v["correct"] / v["n"], 3)} for t, v in sorted(per_topic.items())},
        "evidence_quotes": quotes,
        "evidence_verbatim_share": round(verbatim / quotes, 3) if quotes else 1.0,
        "governing_law_value_accuracy": round(law_ok / law_total, 3) if law_total else None,
        "governing_law_values": law_rows,
        "misses": misses,
    }
