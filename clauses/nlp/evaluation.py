"""Scoring the checker against gold labels (shared/corpus/dev/labels.jsonl). Pure: reads files, no ORM.

Only labels with confidence "high" are scored. Metrics: status accuracy; precision/recall/F1 per status
and their macro average; per-topic accuracy; the share of our evidence quotes found verbatim in the
document; governing-law value accuracy (sets of canonical jurisdictions compared, see
clauses.nlp.values.normalise_jurisdictions); and the list of misses.

evaluate_cuad() adds a held-out measurement on CUAD v1 (see the section below): detection recall and a
false-detection proxy for the topics a CUAD category corresponds to, and governing-law value accuracy.
"""
import ast
import csv
import json
import multiprocessing
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing.connection import wait as mp_wait
from pathlib import Path

from clauses.nlp.check import check_text
from clauses.nlp.pipeline import get_nlp
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


# ------------------------------------------------------------------ CUAD held-out evaluation
# CUAD v1 (The Atticus Project, CC BY 4.0): 510 commercial contracts with expert labels for 41 clause
# categories (master_clauses.csv). The rules were never tuned on it. CUAD's categories are not our topics, so
# only categories whose meaning corresponds are mapped, and what is measured is what CUAD can tell: whether we
# decide a topic (present or conflict) where CUAD found a clause, how often we decide it where CUAD found none,
# and the governing-law value. CUAD does not say which party a clause favours, so status direction is only
# reported as a present/conflict split, never scored.
CUAD_CREDIT = ("CUAD v1 by The Atticus Project (https://www.atticusprojectai.org/cuad), CC BY 4.0; "
               "Hendrycks et al., 'CUAD: An Expert-Annotated NLP Dataset for Legal Contract Review', arXiv:2103.06268")
CUAD_PROFILE = "sow"
GOVERNING_LAW = "Governing Law"
DEFAULT_CUAD_TIMEOUT = 120.0  # seconds of wall time per contract; the largest CUAD text takes ~2 s of CPU


@dataclass(frozen=True)
class CuadMapping:
    """One of our topics and the CUAD categories that speak to it.

    `positive`: a "Yes" in any of them means CUAD found a clause that decides the topic (recall counts it).
    `related`: a "Yes" means the contract has nearby wording that may legitimately decide the topic, so the
    contract is neither a positive nor a negative. A contract with "No" in all of both is a negative (the
    false-detection proxy counts it). `fit` is "close" (same question) or "partial" (overlapping questions).
    """

    topic: str
    positive: tuple[str, ...]
    related: tuple[str, ...]
    fit: str
    why: str


CUAD_MAPPING: tuple[CuadMapping, ...] = (
    CuadMapping("compliance.governing_law", (GOVERNING_LAW,), (), "close",
                "same question; CUAD's answer (state/country) is compared with our value"),
    CuadMapping("liability.cap", ("Cap On Liability",), ("Uncapped Liability",), "partial",
                "a cap on, or exclusion of, liability; CUAD also counts exclusions of indirect/consequential damages "
                "alone and time limits on claims (not a cap in topics.md), and either party's liability; an "
                "uncapped-liability carve-out sits next to a cap, so it is neither positive nor negative"),
    CuadMapping("license.user_cap", ("Volume Restriction", "Unlimited/All-You-Can-Eat-License"), (), "close",
                "a fee or consent above a usage threshold is our conflict, an unlimited-usage grant our present"),
    CuadMapping("license.termination", ("Irrevocable Or Perpetual License", "Termination For Convenience"), (),
                "partial",
                "a perpetual/irrevocable licence is our present; termination without cause is our conflict only "
                "when the provider may do it (CUAD counts either party, and the contract, not the licence)"),
    CuadMapping("liability.warranty", ("Warranty Duration",), (), "partial",
                "a warranty with a duration is a warranty given (our present); contracts with warranties but no "
                "stated duration are CUAD negatives, so the false-detection proxy overstates here"),
    CuadMapping("input.audit", ("Audit Rights",), (), "partial",
                "a right to audit the other party; CUAD's are mostly audits of sales/royalty records by either "
                "party, ours the customer's audit of the provider's handling of data"),
    CuadMapping("derivatives.ownership", ("Ip Ownership Assignment", "Joint Ip Ownership"), (), "partial",
                "IP made by one party owned by or shared with the other; ours is ownership of derivatives and "
                "customisations made by or for the customer"),
    CuadMapping("continuity.price_changes", ("Price Restrictions",), (), "partial",
                "a limit on raising prices is our present; CUAD also counts limits on reducing (resale) prices"),
    CuadMapping("continuity.exit", ("Post-Termination Services",), ("Source Code Escrow",), "partial",
                "duties after termination incl. transition and transfer (our exit); CUAD also counts payments, "
                "wind-down and last-buy; escrow release is a continuity term next to it"),
    CuadMapping("license.redistribution", ("Non-Transferable License",), ("License Grant",), "partial",
                "a licence that may not be transferred or sublicensed limits redistribution; any other grant may "
                "speak to redistribution, so it is neither positive nor negative"),
)

CUAD_UNMAPPED: dict[str, str] = {
    "Document Name": "metadata", "Parties": "metadata", "Agreement Date": "metadata",
    "Effective Date": "metadata", "Expiration Date": "no topic on the term's length",
    "Renewal Term": "no topic on renewal", "Notice Period To Terminate Renewal": "no topic on renewal",
    "Most Favored Nation": "no topic on most-favoured pricing",
    "Competitive Restriction Exception": "no topic on competition",
    "Non-Compete": "no topic on competition (territory limits on *use* are compliance.territory, a different question)",
    "Exclusivity": "exclusive dealing, not derivatives.exclusivity (models trained on customer data serve only it)",
    "No-Solicit Of Customers": "no topic", "No-Solicit Of Employees": "no topic", "Non-Disparagement": "no topic",
    "Rofr/Rofo/Rofn": "no topic", "Change Of Control": "no topic",
    "Anti-Assignment": "assignment of the contract, not redistribution of the model",
    "Revenue/Profit Sharing": "no topic", "Minimum Commitment": "no topic",
    "Affiliate License-Licensor": "who is covered by a grant: no topic",
    "Affiliate License-Licensee": "who is covered by a grant: no topic",
    "Liquidated Damages": "no topic", "Insurance": "no topic",
    "Covenant Not To Sue": "a bar on contesting the other's IP; license.termination's conflict is a licence ending "
                           "on an IP claim, a different term",
    "Third Party Beneficiary": "no topic on who may enforce the contract",
}

_ANSWER_SUFFIX = re.compile(r"\s*-\s*answer\s*$", re.I)


def cuad_key(filename: str) -> str:
    """Return a matching key for a CUAD file name: extension dropped, accents folded, only [a-z0-9] kept.

    master_clauses.csv names the PDFs ("A&R ... .PDF") while full_contract_txt/ has "A_R ....txt".
    """
    stem = re.sub(r"\.(pdf|txt)'?$", "", filename.strip(), flags=re.I)
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def parse_cuad_context(cell: str) -> list[str]:
    """Return the clause excerpts of a CUAD text cell (a Python-style list literal such as "['a', 'b']")."""
    cell = (cell or "").strip()
    if cell in ("", "[]"):
        return []
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return [cell]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)]


def load_cuad(corpus: Path, *, limit: int | None = None) -> dict:
    """Read cuad/master_clauses.csv and pair each row with its text in cuad/full_contract_txt/.

    Returns {"contracts": [{"file", "path", "labels": {category: {"has": bool, "answer": str}}}] sorted by
    file name (the first `limit` when given), "available": number of rows with a text, "categories": [...],
    "unmatched": [csv file names without a text file]}. `has` is True for a "Yes" answer, or for a category with free-form answers (Governing Law)
    when CUAD quotes a clause. Raises CorpusMissing when the CSV or the text folder is absent.
    """
    root = Path(corpus) / "cuad"
    csv_path, txt_dir = root / "master_clauses.csv", root / "full_contract_txt"
    if not csv_path.is_file() or not txt_dir.is_dir():
        raise CorpusMissing(f"no CUAD data at {root} (master_clauses.csv and full_contract_txt/); "
                            "pass --corpus PATH to the shared corpus folder")
    texts = {cuad_key(p.name): p for p in txt_dir.glob("*.txt")}
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        answer_col = {_ANSWER_SUFFIX.sub("", h).strip(): i for i, h in enumerate(header) if _ANSWER_SUFFIX.search(h)}
        context_col = {h.strip(): i for i, h in enumerate(header) if i and not _ANSWER_SUFFIX.search(h)}
        contracts, unmatched = [], []
        for row in reader:
            if not row or not row[0].strip():
                continue
            path = texts.get(cuad_key(row[0]))
            if path is None:
                unmatched.append(row[0])
                continue
            labels = {}
            for cat, ci in context_col.items():
                answer = row[answer_col[cat]].strip() if cat in answer_col and answer_col[cat] < len(row) else ""
                excerpts = parse_cuad_context(row[ci] if ci < len(row) else "")
                yes_no = answer.lower() in ("yes", "no")
                labels[cat] = {"has": answer.lower() == "yes" if yes_no else bool(excerpts), "answer": answer}
            contracts.append({"file": path.name, "path": str(path), "labels": labels})
    contracts.sort(key=lambda c: c["file"])
    return {"contracts": contracts[:limit] if limit else contracts, "available": len(contracts),
            "categories": list(context_col), "unmatched": unmatched}


# A province or nation inside a country: CUAD writes "Ontario, Canada" and "England, United Kingdom" where a
# contract (and our value) names only the province; the parent adds nothing to the comparison.
_PARENT = {"Ontario": "Canada", "British Columbia": "Canada", "New South Wales": "Australia",
           "Victoria": "Australia", "England and Wales": "United Kingdom", "Scotland": "United Kingdom",
           "Northern Ireland": "United Kingdom", "Hong Kong": "China"}


def cuad_jurisdictions(value: str | None) -> frozenset:
    """Return canonical jurisdictions of a value, without a country when a province of it is also named."""
    found = set(normalise_jurisdictions(value))
    found -= {_PARENT[j] for j in found if j in _PARENT and len(found) > 1}
    return frozenset(found)


def same_jurisdiction(gold: str, predicted: str | None) -> bool:
    """Whether our governing-law value names the jurisdictions of CUAD's answer (sets compared after
    cuad_jurisdictions; when the normaliser knows neither name, the strings are compared case-insensitively)."""
    g, p = cuad_jurisdictions(gold), cuad_jurisdictions(predicted)
    if g:
        return g == p
    return bool(predicted) and gold.strip().lower() == predicted.strip().lower()


def scan_cuad_contract(path: str, profile: str = CUAD_PROFILE) -> dict:
    """Scan one CUAD text and keep only what scoring needs: {"file", "words", "seconds", "topics": {topic:
    {"status", "value", "evidence": [{"quote" (first 160 chars), "rule"}]}}} for the mapped topics."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    started = time.perf_counter()
    report = check_text(text, name=Path(path).name, profile=profile)
    seconds = time.perf_counter() - started
    wanted = {m.topic for m in CUAD_MAPPING}
    topics_out = {
        r["topic"]: {"status": r["status"], "value": r["value"],
                     "evidence": [{"quote": e["quote"][:160], "rule": e.get("rule")} for e in r["evidence"][:2]]}
        for r in report["topics"] if r["topic"] in wanted
    }
    return {"file": Path(path).name, "words": len(text.split()), "seconds": seconds, "topics": topics_out}


def _rate(k: int, n: int) -> float | None:
    return round(k / n, 3) if n else None


def score_cuad(contracts: list[dict], predictions: dict[str, dict], *,
               mapping: tuple[CuadMapping, ...] = CUAD_MAPPING, sample: int = 5) -> dict:
    """Score reduced scan results against CUAD labels. Pure.

    `contracts` as from load_cuad()["contracts"]; `predictions` maps file name -> scan_cuad_contract()
    output. Per mapping: positives (CUAD found a clause), detected (we said present or conflict), recall,
    the present/conflict split, recall per positive category, negatives (CUAD found none of the positive
    or related categories), false detections and their rate, and samples of misses and false detections.
    Totals are micro-averages over (contract, topic) pairs, for all mappings and for the close ones.
    Governing-law value accuracy is over contracts with a comparable CUAD answer (not blank, not redacted).
    Raises KeyError when a mapped category is not a CUAD column.
    """
    per_topic = {}
    for m in mapping:
        row = {"topic": m.topic, "fit": m.fit, "positive": 0, "detected": 0, "present": 0, "conflict": 0,
               "negative": 0, "false_detected": 0, "per_category": {c: {"n": 0, "detected": 0} for c in m.positive},
               "misses": [], "false_detections": []}
        for c in contracts:
            pred = predictions.get(c["file"])
            if pred is None:
                continue
            got = pred["topics"][m.topic]
            decided = got["status"] in ("present", "conflict")
            pos = [cat for cat in m.positive if c["labels"][cat]["has"]]
            rel = [cat for cat in m.related if c["labels"][cat]["has"]]
            if pos:
                row["positive"] += 1
                row["detected"] += decided
                if decided:
                    row[got["status"]] += 1
                for cat in pos:
                    row["per_category"][cat]["n"] += 1
                    row["per_category"][cat]["detected"] += decided
                if not decided and len(row["misses"]) < sample:
                    row["misses"].append({"file": c["file"], "categories": pos})
            elif not rel:
                row["negative"] += 1
                row["false_detected"] += decided
                if decided and len(row["false_detections"]) < sample:
                    ev = got["evidence"][0] if got["evidence"] else {"quote": "", "rule": None}
                    row["false_detections"].append({"file": c["file"], "status": got["status"],
                                                    "rule": ev["rule"], "quote": ev["quote"][:120]})
        row["recall"] = _rate(row["detected"], row["positive"])
        row["false_detection_rate"] = _rate(row["false_detected"], row["negative"])
        for v in row["per_category"].values():
            v["recall"] = _rate(v["detected"], v["n"])
        per_topic[m.topic] = row

    def total(rows):
        rows = list(rows)
        pos, det = sum(r["positive"] for r in rows), sum(r["detected"] for r in rows)
        neg, fd = sum(r["negative"] for r in rows), sum(r["false_detected"] for r in rows)
        return {"positive": pos, "detected": det, "recall": _rate(det, pos),
                "negative": neg, "false_detected": fd, "false_detection_rate": _rate(fd, neg)}

    law_rows = []
    law_topic = "compliance.governing_law"
    if any(m.topic == law_topic for m in mapping):
        for c in contracts:
            pred = predictions.get(c["file"])
            gold = c["labels"].get(GOVERNING_LAW, {}).get("answer", "").strip()
            if pred is None or not gold or gold.startswith("["):  # blank, "[]" or redacted "[* * *]"
                continue
            value = pred["topics"][law_topic]["value"]
            law_rows.append({"file": c["file"], "gold": gold, "predicted": value, "ok": same_jurisdiction(gold, value)})
    law_ok = sum(r["ok"] for r in law_rows)
    return {
        "contracts": sum(c["file"] in predictions for c in contracts),
        "per_topic": per_topic,
        "total": total(per_topic.values()),
        "total_close": total(r for r in per_topic.values() if r["fit"] == "close"),
        "governing_law_value_accuracy": _rate(law_ok, len(law_rows)),
        "governing_law_values": {"n": len(law_rows), "ok": law_ok,
                                 "misses": [r for r in law_rows if not r["ok"]][:sample]},
    }


def _child_scan(conn, path: str, profile: str) -> None:
    """Scan one contract in a forked child and send the result (or the error) back through `conn`."""
    try:
        conn.send(scan_cuad_contract(path, profile))
    except Exception as exc:  # reported as a contract not scored, never hidden
        conn.send({"file": Path(path).name, "error": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.close()


def scan_cuad_contracts(paths: list[str], *, profile: str = CUAD_PROFILE, jobs: int = 1,
                        timeout: float | None = DEFAULT_CUAD_TIMEOUT, progress=None) -> list[dict]:
    """Scan `paths` and return scan_cuad_contract() results in input order.

    With a `timeout` (seconds of wall time per contract), each contract is scanned in a forked child,
    `jobs` at a time, and a child still running after `timeout` is killed: its result is
    {"file", "error": "timed out after N s"} (a scan that raises gives {"file", "error"} too). This keeps one
    pathological text (a regular expression backtracking for minutes) from stalling the run. With
    timeout=None and jobs=1 the scans run in this process. `progress(done, total, result)` is called after
    each contract.
    """
    total, results = len(paths), [None] * len(paths)
    if timeout is None and jobs <= 1:
        for i, path in enumerate(paths):
            results[i] = scan_cuad_contract(path, profile)
            if progress:
                progress(i + 1, total, results[i])
        return results
    get_nlp()  # build the pipeline once here; forked children inherit it
    ctx = multiprocessing.get_context("fork")
    pending, running, done = list(enumerate(paths)), {}, 0
    while pending or running:
        while pending and len(running) < max(jobs, 1):
            i, path = pending.pop(0)
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child_scan, args=(send, path, profile), daemon=True)
            proc.start()
            send.close()
            running[recv] = (i, proc, time.monotonic())
        finished = []
        for conn in mp_wait(list(running), timeout=0.5):
            i, proc, _ = running.pop(conn)
            try:
                results[i] = conn.recv()
            except EOFError:
                results[i] = {"file": Path(paths[i]).name, "error": f"scan process ended with code {proc.exitcode}"}
            finished.append((conn, proc, i))
        now = time.monotonic()
        for conn, (i, proc, started) in list(running.items()):
            if timeout is not None and now - started > timeout:
                proc.kill()
                running.pop(conn)
                results[i] = {"file": Path(paths[i]).name, "error": f"timed out after {timeout:g} s"}
                finished.append((conn, proc, i))
        for conn, proc, i in finished:
            conn.close()
            proc.join()
            done += 1
            if progress:
                progress(done, total, results[i])
    return results


def evaluate_cuad(corpus: Path, *, limit: int | None = None, jobs: int = 1, profile: str = CUAD_PROFILE,
                  timeout: float | None = DEFAULT_CUAD_TIMEOUT, sample: int = 5, progress=None) -> dict:
    """Scan the CUAD contracts (the first `limit` by file name when given) with `profile` and score them
    (score_cuad), adding the mapping, credit, counts, timing and the contracts not scored (timeout or error;
    see scan_cuad_contracts for `jobs`, `timeout` and `progress`). Raises CorpusMissing when the CUAD files
    are absent or lack a mapped category.
    """
    data = load_cuad(corpus, limit=limit)
    contracts = data["contracts"]
    missing_cats = sorted({c for m in CUAD_MAPPING for c in m.positive + m.related} - set(data["categories"]))
    if missing_cats:
        raise CorpusMissing(f"master_clauses.csv lacks the mapped categories {missing_cats}")
    started = time.perf_counter()
    results = scan_cuad_contracts([c["path"] for c in contracts], profile=profile, jobs=jobs, timeout=timeout,
                                  progress=progress)
    wall = time.perf_counter() - started
    scanned = [r for r in results if "error" not in r]
    predictions = {r["file"]: r for r in scanned}
    scored = score_cuad(contracts, predictions, sample=sample)
    words = sum(r["words"] for r in scanned)
    return {
        "dataset": "CUAD v1", "credit": CUAD_CREDIT, "profile": profile, "jobs": jobs, "timeout": timeout,
        "contracts_available": data["available"],
        "unmatched_csv_rows": data["unmatched"],
        "not_scored": [r for r in results if "error" in r],
        "words": words, "seconds": round(wall, 1), "words_per_second": round(words / wall) if wall else None,
        "slowest": sorted(({"file": r["file"], "seconds": round(r["seconds"], 1)} for r in scanned),
                          key=lambda d: -d["seconds"])[:3],
        "mapping": [{"topic": m.topic, "positive": list(m.positive), "related": list(m.related), "fit": m.fit,
                     "why": m.why} for m in CUAD_MAPPING],
        "unmapped": CUAD_UNMAPPED,
        **scored,
    }
