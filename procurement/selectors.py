"""Reads of the review workflow: contract lists, the report page, history, dashboard, exports.

Every function takes plain values and returns querysets, dicts or lists; none writes.
"""
import re
from collections import Counter, defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clauses import catalogue
from procurement.models import AuditEvent, Contract, Finding, Scan
from procurement.permissions import contract_visibility_q
from procurement.roles import LEGAL
from procurement.statuses import FINAL_STATUSES, OPEN_REVIEW_STATUSES, ContractStatus, Decision

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _open_high_subquery():
    return Subquery(
        Finding.objects.filter(scan_id=OuterRef("current_scan_id"), severity="high", decision=Decision.OPEN)
        .values("scan_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def contract_list_for_user(*, user, status: str = "", vendor_id: str = "", assignee_id: str = "",
                           overdue: bool = False, q: str = ""):
    """Return the contracts `user` may see, filtered, with vendor/assignee/current scan joined and
    `open_high` annotated (open high-severity findings of the current scan). Constant query count."""
    qs = Contract.objects.all()
    visibility = contract_visibility_q(user)
    if visibility is not None:
        qs = qs.filter(visibility).distinct()
    if status:
        qs = qs.filter(status=status)
    if vendor_id:
        qs = qs.filter(vendor_id=vendor_id)
    if assignee_id == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee_id:
        qs = qs.filter(assignee_id=assignee_id)
    if overdue:
        qs = qs.filter(due_date__lt=timezone.localdate()).exclude(status__in=FINAL_STATUSES)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(vendor__name__icontains=q))
    return (qs.select_related("vendor", "assignee", "created_by", "current_scan", "current_version")
            .annotate(open_high=Coalesce(_open_high_subquery(), Value(0))))


def legal_users():
    """Return active members of the legal group, the users who can be assigned as reviewers.

    Superusers are offered only when they are in the legal group too (an admin account is not a reviewer).
    """
    return (get_user_model().objects.filter(is_active=True, groups__name=LEGAL)
            .distinct().order_by("username"))


# --- report page -----------------------------------------------------------------------------------

def highlight_segments(text: str, spans: list[dict]) -> list[dict]:
    """Split `text` at evidence boundaries. `spans`: dicts with start, end, id, kind.

    Returns [{"text", "ids": [span ids covering it], "kind": "conflict"|"present"|...|None, "anchor": id
    of a span starting here or None}] covering the text exactly once, in order. Overlaps are allowed.
    """
    points = {0, len(text)}
    for s in spans:
        points.update((s["start"], s["end"]))
    cuts = sorted(p for p in points if 0 <= p <= len(text))
    starts = defaultdict(list)
    for s in spans:
        starts[s["start"]].append(s["id"])
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = [s for s in spans if s["start"] <= a and b <= s["end"]]
        kind = None
        if covering:
            kind = "conflict" if any(s["kind"] == "conflict" for s in covering) else covering[0]["kind"]
        segments.append({"text": text[a:b], "ids": [s["id"] for s in covering], "kind": kind,
                         "anchor": starts[a][0] if starts.get(a) else None})
    return segments


def clause_wordings(clause_refs) -> dict[str, dict]:
    """Return {topic: {"preferred": {...}, "fallback": {...}}} of the latest approved library wording for
    the topics of `clause_refs` ("<topic>/<position>" ids of scan reports), via
    clauses.selectors.clause_versions_latest_approved. A topic without approved wording is absent.
    """
    topics = {ref.split("/", 1)[0] for ref in clause_refs if ref}
    if not topics:
        return {}
    from clauses.selectors import clause_text_display, clause_versions_latest_approved

    result: dict[str, dict] = {}
    for (topic_id, position), v in clause_versions_latest_approved().items():
        if topic_id in topics and position in ("preferred", "fallback"):
            result.setdefault(topic_id, {})[position] = {"title": v.title, "text": clause_text_display(v.text),
                                                         "number": v.number, "id": f"{topic_id}/{position}"}
    return result


# Library wording is a template over the generator's answers; for a vendor we fill what the playbook
# knows (settings.PLAYBOOK) and show the rest as a bracketed blank to complete.
_PLAYBOOK_VARIABLES = {"retention_days": "max_retention_days", "breach_notice_hours": "max_breach_notice_hours",
                       "price_change_notice_days": "min_price_change_notice_days"}
_PLACEHOLDER = re.compile(r"{{\s*([\w.]+)\s*}}")


def fill_placeholders(text: str) -> str:
    """Return clause `text` with `{{ variable }}` filled from the playbook, else shown as `[variable]`."""
    from django.conf import settings

    playbook = getattr(settings, "PLAYBOOK", {})

    def value(match):
        name = match.group(1)
        key = _PLAYBOOK_VARIABLES.get(name)
        if key and playbook.get(key) is not None:
            return str(playbook[key])
        return "[" + name.replace(".", " ").replace("_", " ") + "]"

    return _PLACEHOLDER.sub(value, text)


def report_context(*, contract: Contract, scan: Scan | None) -> dict:
    """Return what the report page shows for `scan` (normally the contract's current scan).

    Keys: report, findings (with evidence ids and library wording), coverage (groups of catalogue topics
    with their status), segments (highlighted document text), severity counts, bad_evidence (quotes
    that do not match the text at their offsets — a checker defect, shown not hidden).
    """
    if scan is None or not scan.report:
        return {"report": None}
    report = scan.report
    text = scan.version.text
    findings = list(scan.findings.select_related("decided_by").order_by("order"))
    by_topic = {f.topic: f for f in findings}
    spans, bad = [], []
    evidence_ids: dict[str, list[dict]] = {}
    for ti, entry in enumerate(report.get("topics", [])):
        for ei, ev in enumerate(entry.get("evidence") or []):
            start, end = ev.get("start"), ev.get("end")
            ev_id = f"ev-{ti}-{ei}"
            ok = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) \
                and text[start:end] == ev.get("quote")
            item = dict(ev, id=ev_id, ok=ok)
            evidence_ids.setdefault(entry["topic"], []).append(item)
            if ok:
                spans.append({"start": start, "end": end, "id": ev_id, "kind": entry.get("status")})
            else:
                bad.append({"topic": entry["topic"], **ev})
    wording = clause_wordings([f.suggested_clause for f in findings])
    for f in findings:
        f.evidence_items = evidence_ids.get(f.topic, [])
        f.wording = wording.get(f.topic, {})
        f.title = _topic_title(f.topic)
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.order))
    coverage = []
    entries = {t["topic"]: t for t in report.get("topics", [])}
    for group in catalogue.groups():
        rows = []
        for spec in catalogue.topics():
            if spec.group != group["id"]:
                continue
            entry = entries.get(spec.id, {"status": "not reported", "finding": False})
            rows.append({"id": spec.id, "title": spec.title, "status": entry.get("status"),
                         "finding": entry.get("finding"), "severity": entry.get("severity"),
                         "required": entry.get("required"), "value": entry.get("value"),
                         "decision": by_topic[spec.id].get_decision_display() if spec.id in by_topic else "",
                         "anchor": f"finding-{by_topic[spec.id].pk}" if spec.id in by_topic else ""})
        coverage.append({"id": group["id"], "title": group["title"], "rows": rows})
    severity = Counter(f.severity for f in findings)
    decisions = Counter(f.decision for f in findings)
    return {
        "report": report, "document": report.get("document", {}), "summary": report.get("summary", {}),
        "findings": findings, "coverage": coverage, "segments": highlight_segments(text, spans),
        "severity_counts": [(s, severity.get(s, 0)) for s in ("high", "medium", "low", "info")],
        "open_count": decisions.get(Decision.OPEN, 0), "bad_evidence": bad,
        "open_high": sum(1 for f in findings if f.severity == "high" and f.decision == Decision.OPEN),
        # Approval is allowed with these (only `open` high findings block it) but the page warns.
        "high_awaiting_vendor": [f for f in findings
                                 if f.severity == "high" and f.decision == Decision.CHANGE_REQUESTED],
    }


def _topic_title(topic_id: str) -> str:
    try:
        return catalogue.topic(topic_id).title
    except KeyError:
        return topic_id


def contract_history(*, contract_id: int):
    """Return the contract's audit rows, oldest first, with actors joined."""
    return AuditEvent.objects.filter(contract_id=contract_id).select_related("actor").order_by("at", "id")


def findings_for_export(*, contract: Contract, decisions=None) -> list[Finding]:
    """Return the current scan's findings (optionally only some decisions), most severe first, with
    library wording attached as `.wording`."""
    if contract.current_scan_id is None:
        return []
    qs = Finding.objects.filter(scan_id=contract.current_scan_id).select_related("decided_by")
    if decisions:
        qs = qs.filter(decision__in=decisions)
    findings = sorted(qs, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.order))
    wording = clause_wordings([f.suggested_clause for f in findings])
    for f in findings:
        f.wording = wording.get(f.topic, {})
        f.title = _topic_title(f.topic)
    return findings


def false_positive_rows():
    """Yield one dict per false-positive decision (all contracts), for checker improvement (JSONL)."""
    qs = (Finding.objects.filter(decision=Decision.FALSE_POSITIVE)
          .select_related("scan__version__contract__vendor", "decided_by").order_by("decided_at", "pk"))
    for f in qs.iterator(chunk_size=500):
        version = f.scan.version
        yield {
            "topic": f.topic, "status": f.status, "severity": f.severity, "required": f.required,
            "value": f.value or None, "evidence": f.evidence, "suggested_clause": f.suggested_clause or None,
            "comment": f.decision_comment, "decided_by": f.decided_by.username if f.decided_by else None,
            "decided_at": f.decided_at.isoformat() if f.decided_at else None,
            "checker_version": f.scan.checker_version, "profile": (f.scan.report or {}).get("document", {}).get("profile"),
            "document_sha256": version.sha256, "document_format": version.format,
            "contract_id": version.contract_id, "scan_id": f.scan_id, "finding_id": f.pk,
        }


# --- dashboard --------------------------------------------------------------------------------------

def dashboard_stats(*, user=None) -> dict:
    """Return the manager dashboard figures with a fixed number of queries (independent of row counts).

    Keys: by_status [(value, label, n)], total, overdue, open_high, avg_review_hours (None without data),
    per_vendor and per_reviewer rows {name, total, open, overdue, open_high, approved, rejected}.
    """
    today = timezone.localdate()
    base = Contract.objects.all()
    status_counts = dict(base.values_list("status").annotate(n=Count("pk")).order_by())
    by_status = [(value, label, status_counts.get(value, 0)) for value, label in ContractStatus.choices]
    open_q = Q(status__in=OPEN_REVIEW_STATUSES)
    overdue_q = Q(due_date__lt=today) & ~Q(status__in=FINAL_STATUSES)
    overdue = base.filter(overdue_q).count()
    open_high = Finding.objects.filter(scan__in=base.filter(current_scan__isnull=False).values("current_scan"),
                                       severity="high", decision=Decision.OPEN).count()
    durations = list(base.filter(review_started_at__isnull=False, closed_at__isnull=False)
                     .values_list("review_started_at", "closed_at"))
    avg_hours = (sum(((c - s) for s, c in durations), timedelta()).total_seconds() / 3600 / len(durations)
                 if durations else None)

    def grouped(field: str, label_field: str):
        rows = (base.values(field, label_field)
                .annotate(total=Count("pk", distinct=True), open=Count("pk", filter=open_q, distinct=True),
                          overdue=Count("pk", filter=overdue_q, distinct=True),
                          approved=Count("pk", filter=Q(status=ContractStatus.APPROVED), distinct=True),
                          rejected=Count("pk", filter=Q(status=ContractStatus.REJECTED), distinct=True),
                          open_high=Coalesce(_sum_open_high(), Value(0)))
                .order_by(label_field))
        return [{"id": r[field], "name": r[label_field] or "unassigned", **{k: r[k] for k in
                ("total", "open", "overdue", "approved", "rejected", "open_high")}} for r in rows]

    return {
        "by_status": by_status, "total": sum(status_counts.values()), "overdue": overdue, "open_high": open_high,
        "avg_review_hours": avg_hours, "closed_reviews": len(durations),
        "per_vendor": grouped("vendor_id", "vendor__name"),
        "per_reviewer": grouped("assignee_id", "assignee__username"),
        "chart": bar_chart(by_status),
    }


def _sum_open_high():
    # Count open high findings of each group's contracts' current scans via a join on current_scan.
    return Count("current_scan__findings", filter=Q(current_scan__findings__severity="high",
                                                    current_scan__findings__decision=Decision.OPEN))


def bar_chart(by_status, *, width: int = 520, bar_height: int = 22, gap: int = 8, label_width: int = 150) -> dict:
    """Return geometry for a server-rendered SVG bar chart of contracts by status (no JS, no CDN)."""
    peak = max((n for _, _, n in by_status), default=0) or 1
    usable = width - label_width - 40
    bars = []
    for i, (value, label, n) in enumerate(by_status):
        y = i * (bar_height + gap)
        bars.append({"value": value, "label": label, "n": n, "y": y, "text_y": y + bar_height * 0.7,
                     "x": label_width, "w": round(usable * n / peak, 1), "n_x": label_width + round(usable * n / peak, 1) + 6})
    return {"width": width, "height": len(bars) * (bar_height + gap), "bar_height": bar_height, "bars": bars}
