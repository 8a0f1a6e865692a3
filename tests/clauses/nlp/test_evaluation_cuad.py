"""CUAD held-out evaluation (clauses.nlp.evaluation): file matching, CSV parsing, jurisdiction comparison,
scoring and the command, on a tiny CSV in CUAD's layout and two contracts written here (no CUAD text)."""
import csv
import io
import json
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clauses.catalogue import topics
from clauses.nlp import evaluation
from clauses.nlp.evaluation import (
    CUAD_MAPPING,
    CUAD_UNMAPPED,
    CorpusMissing,
    cuad_jurisdictions,
    cuad_key,
    evaluate_cuad,
    load_cuad,
    parse_cuad_context,
    same_jurisdiction,
    score_cuad,
)

SHARED_CSV = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "cuad" / "master_clauses.csv"
MAPPED = sorted({c for m in CUAD_MAPPING for c in m.positive + m.related})

ORVANE = (
    "SERVICES AGREEMENT between Orvane Analytics Inc. and Halvard Systems Ltd.\n\n"
    "1. Halvard shall build the reporting tool described in Schedule 1.\n\n"
    "2. This Agreement shall be governed by and construed in accordance with the laws of the State of Oregon.\n\n"
    "3. In no event shall Halvard's aggregate liability under this Agreement exceed the fees paid by Orvane in "
    "the twelve (12) months preceding the claim.\n"
)
KESTREL = (
    "SUPPLY AGREEMENT between Kestrel Parts Co. and Zentrix Motors.\n\n"
    "1. Kestrel shall deliver the brackets to the Zentrix warehouse every Monday.\n\n"
    "2. The parties shall meet each quarter to review the delivery schedule.\n"
)


def _write_cuad(root: Path, rows: list[dict]) -> Path:
    """Write corpus/cuad/ with a master_clauses.csv in CUAD's layout (context + '-Answer' column per category;
    one answer header spelled '- Answer' as in the real file) and the two contracts."""
    cuad = root / "cuad"
    (cuad / "full_contract_txt").mkdir(parents=True)
    (cuad / "full_contract_txt" / "Orvane _ Halvard Services Agreement.txt").write_text(ORVANE, encoding="utf-8")
    (cuad / "full_contract_txt" / "Kestrel Supply Agreement.txt").write_text(KESTREL, encoding="utf-8")
    cats = MAPPED + ["Notice Period To Terminate Renewal"]
    header = ["Filename"]
    for cat in cats:
        header += [cat, f"{cat}- Answer" if cat.startswith("Notice") else f"{cat}-Answer"]
    with (cuad / "master_clauses.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for row in rows:
            line = [row["Filename"]]
            for cat in cats:
                context, answer = row.get(cat, ("[]", "No"))
                line += [context, answer]
            out.writerow(line)
    return root


ROWS = [
    {"Filename": "Orvane & Halvard Services Agreement .PDF",
     "Governing Law": ("['the laws of the State of Oregon apply to this contract']", "Oregon"),
     "Cap On Liability": ("['liability limited to one year of fees']", "Yes"),
     "Audit Rights": ("['Orvane may inspect the books of Halvard']", "Yes"),
     "Notice Period To Terminate Renewal": ("['sixty days before renewal']", "60 days")},
    {"Filename": "Kestrel Supply Agreement.pdf", "Governing Law": ("[]", "")},
    {"Filename": "Halvard Missing Contract.pdf"},
]


@pytest.fixture
def corpus(tmp_path):
    return _write_cuad(tmp_path / "corpus", ROWS)


def test_cuad_key_pairs_csv_pdf_names_with_text_file_names():
    assert cuad_key("Orvane & Halvard Services Agreement .PDF") == cuad_key("Orvane _ Halvard Services Agreement.txt")
    assert cuad_key("ZENTRIX'S,INC_01_02_2003-EX-10.1-DEAL.PDF'") == cuad_key("ZENTRIX_S,INC_01_02_2003-EX-10.1-DEAL.txt")
    assert cuad_key("KESTRELÉ S.A. - Pact.pdf") == "kestrelesapact"
    assert cuad_key("Kestrel Pact.pdf") != cuad_key("Kestrel Pact 2.txt")


@pytest.mark.parametrize("cell,expected", [
    ("[]", []),
    ("", []),
    ("['Halvard shall keep records.', \"Orvane's auditor may visit.\"]",
     ["Halvard shall keep records.", "Orvane's auditor may visit."]),
    ("[unbalanced 'quote", ["[unbalanced 'quote"]),
])
def test_parse_cuad_context_reads_list_literals(cell, expected):
    assert parse_cuad_context(cell) == expected


def test_load_cuad_reads_answers_and_reports_rows_without_text(corpus):
    data = load_cuad(corpus)
    assert [c["file"] for c in data["contracts"]] == ["Kestrel Supply Agreement.txt",
                                                       "Orvane _ Halvard Services Agreement.txt"]
    assert data["available"] == 2
    assert data["unmatched"] == ["Halvard Missing Contract.pdf"]
    orvane = data["contracts"][1]["labels"]
    assert orvane["Governing Law"] == {"has": True, "answer": "Oregon"}
    assert orvane["Cap On Liability"] == {"has": True, "answer": "Yes"}
    assert orvane["Uncapped Liability"] == {"has": False, "answer": "No"}
    assert orvane["Notice Period To Terminate Renewal"] == {"has": True, "answer": "60 days"}  # '- Answer' header
    assert data["contracts"][0]["labels"]["Governing Law"] == {"has": False, "answer": ""}
    assert [c["file"] for c in load_cuad(corpus, limit=1)["contracts"]] == ["Kestrel Supply Agreement.txt"]


def test_load_cuad_without_files_raises_corpus_missing(tmp_path):
    with pytest.raises(CorpusMissing, match="master_clauses.csv"):
        load_cuad(tmp_path)


@pytest.mark.parametrize("gold,predicted,ok", [
    ("Oregon", "Oregon", True),
    ("Ontario, Canada", "Ontario", True),
    ("Province of Ontario, Canada", "Ontario", True),
    ("England; Wales", "England and Wales", True),
    ("England, United Kingdom; Wales, United Kingdom", "England and Wales", True),
    ("New York", "Delaware", False),
    ("Illinois; New York", "New York", False),
    ("Kestrelland", None, False),
    ("Kestrelland", "kestrelland", True),
])
def test_same_jurisdiction(gold, predicted, ok):
    assert same_jurisdiction(gold, predicted) is ok


def test_cuad_jurisdictions_keeps_a_lone_country():
    assert cuad_jurisdictions("Canada") == frozenset({"Canada"})
    assert cuad_jurisdictions("Ontario, Canada") == frozenset({"Ontario"})


def _labels():
    labels = {cat: {"has": False, "answer": "No"} for cat in MAPPED}
    labels["Governing Law"] = {"has": False, "answer": ""}
    return labels


def _prediction(file, **statuses):
    tops = {m.topic: {"status": "missing", "value": None, "evidence": []} for m in CUAD_MAPPING}
    for topic, (status, value) in statuses.items():
        tops[topic.replace("__", ".")] = {"status": status, "value": value,
                                          "evidence": [{"quote": "our quote", "rule": "r.1"}]}
    return {"file": file, "words": 10, "seconds": 0.1, "topics": tops}


def test_score_cuad_counts_recall_false_detections_and_values():
    contracts = [
        {"file": "a.txt", "labels": {**_labels(), "Governing Law": {"has": True, "answer": "Ontario, Canada"},
                                     "Cap On Liability": {"has": True, "answer": "Yes"}}},
        {"file": "b.txt", "labels": {**_labels(), "Uncapped Liability": {"has": True, "answer": "Yes"},
                                     "Governing Law": {"has": True, "answer": "[* * *]"}}},
        {"file": "c.txt", "labels": {**_labels(), "Governing Law": {"has": True, "answer": "Texas"},
                                     "Volume Restriction": {"has": True, "answer": "Yes"}}},
        {"file": "d.txt", "labels": _labels()},
        {"file": "not-scanned.txt", "labels": _labels()},
    ]
    predictions = {
        "a.txt": _prediction("a.txt", compliance__governing_law=("present", "Ontario"),
                             liability__cap=("conflict", "US$100")),
        "b.txt": _prediction("b.txt", liability__cap=("present", None)),  # related only: not counted
        "c.txt": _prediction("c.txt", compliance__governing_law=("present", "Delaware")),
        "d.txt": _prediction("d.txt", liability__cap=("present", "12 months of fees"),
                             input__audit=("present", None)),
    }
    r = score_cuad(contracts, predictions, sample=3)
    assert r["contracts"] == 4
    law = r["per_topic"]["compliance.governing_law"]
    assert (law["positive"], law["detected"], law["recall"], law["negative"], law["false_detected"]) == (3, 2, 0.667, 1, 0)
    assert law["misses"] == [{"file": "b.txt", "categories": ["Governing Law"]}]
    cap = r["per_topic"]["liability.cap"]
    assert (cap["positive"], cap["detected"], cap["conflict"], cap["negative"], cap["false_detected"]) == (1, 1, 1, 2, 1)
    assert cap["false_detection_rate"] == 0.5
    assert cap["false_detections"] == [{"file": "d.txt", "status": "present", "rule": "r.1", "quote": "our quote"}]
    user_cap = r["per_topic"]["license.user_cap"]
    assert user_cap["per_category"]["Volume Restriction"] == {"n": 1, "detected": 0, "recall": 0.0}
    assert user_cap["per_category"]["Unlimited/All-You-Can-Eat-License"]["recall"] is None
    audit = r["per_topic"]["input.audit"]
    assert (audit["positive"], audit["negative"], audit["false_detected"]) == (0, 4, 1)
    # redacted answer skipped; Ontario matches "Ontario, Canada"; Delaware is not Texas
    assert r["governing_law_values"]["n"] == 2 and r["governing_law_value_accuracy"] == 0.5
    assert r["governing_law_values"]["misses"] == [{"file": "c.txt", "gold": "Texas", "predicted": "Delaware",
                                                    "ok": False}]
    close = r["total_close"]  # governing law and user cap; liability.cap is a partial fit
    assert (close["positive"], close["detected"]) == (3 + 1, 2 + 0)
    assert r["total"]["false_detected"] == 0 + 1 + 1  # cap on d, audit on d


def test_evaluate_cuad_scans_our_two_contracts(corpus):
    r = evaluate_cuad(corpus)
    assert (r["contracts"], r["contracts_available"], r["profile"]) == (2, 2, "sow")
    assert r["unmatched_csv_rows"] == ["Halvard Missing Contract.pdf"]
    assert r["words"] == len(ORVANE.split()) + len(KESTREL.split())
    law = r["per_topic"]["compliance.governing_law"]
    assert (law["positive"], law["detected"], law["negative"], law["false_detected"]) == (1, 1, 1, 0)
    assert r["governing_law_values"] == {"n": 1, "ok": 1, "misses": []}
    cap = r["per_topic"]["liability.cap"]
    assert (cap["positive"], cap["detected"], cap["present"]) == (1, 1, 1)
    audit = r["per_topic"]["input.audit"]
    assert audit["misses"] == [{"file": "Orvane _ Halvard Services Agreement.txt", "categories": ["Audit Rights"]}]
    assert r["total"]["false_detected"] == 0
    assert "CC BY 4.0" in r["credit"]


def test_evaluate_cuad_same_figures_in_process_and_in_two_children(corpus):
    seen = []
    one = evaluate_cuad(corpus, timeout=None)
    two = evaluate_cuad(corpus, jobs=2, progress=lambda done, total, r: seen.append((done, total, r["file"])))
    assert one["per_topic"] == two["per_topic"]
    assert sorted(seen) == [(1, 2, seen[0][2]), (2, 2, seen[1][2])]
    assert {f for _, _, f in seen} == {"Kestrel Supply Agreement.txt", "Orvane _ Halvard Services Agreement.txt"}


def test_a_contract_over_the_timeout_is_reported_not_scored(corpus, monkeypatch):
    real_scan = evaluation.scan_cuad_contract

    def slow_on_kestrel(path, profile):
        if "Kestrel" in path:
            time.sleep(30)
        return real_scan(path, profile)

    monkeypatch.setattr(evaluation, "scan_cuad_contract", slow_on_kestrel)
    started = time.monotonic()
    r = evaluate_cuad(corpus, timeout=2)
    assert time.monotonic() - started < 20
    assert r["not_scored"] == [{"file": "Kestrel Supply Agreement.txt", "error": "timed out after 2 s"}]
    assert r["contracts"] == 1
    assert r["per_topic"]["compliance.governing_law"]["negative"] == 0  # Kestrel left out, not counted missing


def test_a_scan_error_is_reported_not_scored(corpus, monkeypatch):
    def broken(path, profile):
        raise ValueError("unreadable")

    monkeypatch.setattr(evaluation, "scan_cuad_contract", broken)
    r = evaluate_cuad(corpus, limit=1)
    assert r["not_scored"] == [{"file": "Kestrel Supply Agreement.txt", "error": "ValueError: unreadable"}]
    assert (r["contracts"], r["words"]) == (0, 0)


def test_mapping_names_real_topics_and_keeps_categories_apart():
    ids = {t.id for t in topics()}
    assert {m.topic for m in CUAD_MAPPING} <= ids
    assert len({m.topic for m in CUAD_MAPPING}) == len(CUAD_MAPPING)
    assert {m.fit for m in CUAD_MAPPING} <= {"close", "partial"}
    assert not set(MAPPED) & set(CUAD_UNMAPPED)


@pytest.mark.skipif(not SHARED_CSV.is_file(), reason="shared CUAD corpus not present")
def test_mapping_accounts_for_every_cuad_category():
    with SHARED_CSV.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    categories = {h for h in header[1:] if "answer" not in h.lower()}
    assert len(categories) == 41
    assert categories == set(MAPPED) | set(CUAD_UNMAPPED)


def test_command_prints_credit_mapping_and_figures(corpus):
    out = io.StringIO()
    call_command("evaluate_checker", "--cuad", "--corpus", str(corpus), stdout=out)
    text = out.getvalue()
    assert "CUAD v1 by The Atticus Project" in text and "CC BY 4.0" in text
    assert "contracts scanned: 2 of 2" in text
    assert "governing-law value accuracy: 1.000 (1/1" in text
    assert "input.audit | Orvane _ Halvard Services Agreement.txt | Audit Rights" in text


def test_command_rejects_limit_without_cuad(corpus):
    with pytest.raises(CommandError, match="--cuad"):
        call_command("evaluate_checker", "--limit", "3", "--corpus", str(corpus))


@pytest.mark.parametrize("mode", [[], ["--cuad"]])
def test_command_reports_a_missing_corpus_as_one_command_error(tmp_path, mode):
    with pytest.raises(CommandError, match=r"labels\.jsonl|master_clauses\.csv"):
        call_command("evaluate_checker", *mode, "--corpus", str(tmp_path / "nowhere"))


def test_command_json_is_the_cuad_result_and_nothing_else(corpus):
    out = io.StringIO()
    call_command("evaluate_checker", "--cuad", "--json", "--corpus", str(corpus), stdout=out)
    result = json.loads(out.getvalue())
    assert result["contracts"] == 2
    assert result["governing_law_value_accuracy"] == 1.0
