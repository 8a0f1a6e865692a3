"""Procurement models: vendors, contracts and their versions, scans, findings, audit events, comments.

Issue 4. Statuses and allowed moves live in `procurement/statuses.py`; every write goes through
`procurement/services.py`.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from clauses.catalogue import PROFILES
from procurement.statuses import FINAL_STATUSES, ContractStatus, Decision, EventKind, ScanStatus

#: Labels people read; keys are the catalogue's PROFILES (a new profile without a label fails at import).
PROFILE_LABELS = {"model_license": "Model licence", "hosted_service": "Hosted AI service", "dpa": "DPA",
                  "sow": "SOW"}
PROFILE_CHOICES = [("auto", "Detect automatically")] + [(p, PROFILE_LABELS[p]) for p in PROFILES]


def contract_file_key(instance, filename: str) -> str:
    """Return the storage key of an uploaded file: a generated id, never the user's file name."""
    return f"contracts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Vendor(models.Model):
    """A provider/licensor we buy AI from. Names are unique regardless of case."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="vendor_name_unique_ci")]

    def __str__(self):
        return self.name


class Contract(models.Model):
    """One engagement with a vendor under review; its documents are `ContractVersion` rows.

    `current_version` / `current_scan` point at the newest version and its newest scan (kept by the
    services) so lists and the dashboard read them with joins, not per-row queries.
    `draft` optionally links the SOW/DPA we generated for this engagement (clauses.Draft);
    `draft_reference` is free text for a draft made outside the product.
    """

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField("engagement title", max_length=200)
    profile = models.CharField(max_length=32, choices=PROFILE_CHOICES, default="auto")
    draft = models.ForeignKey("clauses.Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    draft_reference = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=32, choices=ContractStatus.choices, default=ContractStatus.UPLOADED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_contracts"
    )
    due_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_contracts")
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    review_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    current_version = models.ForeignKey(
        "ContractVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_scan = models.ForeignKey("Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["due_date"])]

    def __str__(self):
        return f"{self.vendor} — {self.title}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_overdue(self) -> bool:
        """True when a due date has passed and the review is not finished."""
        return bool(self.due_date and not self.is_final and self.due_date < timezone.localdate())


class ContractVersion(models.Model):
    """One uploaded document of a contract. The file lives under MEDIA_ROOT at a generated key.

    `text`, `format`, `sections` and `pages` are what extraction returned (sections/pages as lists of
    dicts with the fields of clauses.textdoc.Section / Page; offsets are characters into `text`).
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=contract_file_key, max_length=200)
    original_filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(help_text="bytes")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    format = models.CharField(max_length=8, blank=True)
    sections = models.JSONField(default=list, blank=True)
    pages = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="version_number_unique")]

    def __str__(self):
        return f"{self.contract_id} v{self.number} ({self.original_filename})"


class Scan(models.Model):
    """One checker run over one version. Unique per (version, checker_version): a rerun with the same
    checker reuses the row, a new checker version gets a new row, so earlier reports stay as history."""

    version = models.ForeignKey(ContractVersion, on_delete=models.CASCADE, related_name="scans")
    status = models.CharField(max_length=16, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    checker_version = models.CharField(max_length=100)
    profile = models.CharField(max_length=32, default="auto")
    report = models.JSONField(null=True, blank=True, help_text="scan-report/1 (shared/spec/scan-report.md)")
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "checker_version"], name="scan_unique_per_checker_version")
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return f"scan {self.pk} of version {self.version_id} ({self.status})"


class Finding(models.Model):
    """A topic of a scan report with `finding: true`, plus legal's decision on it."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    topic = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0, help_text="catalogue order")
    status = models.CharField(max_length=16)  # present / conflict / missing (scan-report)
    severity = models.CharField(max_length=8)
    required = models.BooleanField(default=False)
    value = models.CharField(max_length=500, blank=True)
    explanation = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)
    suggested_clause = models.CharField(max_length=100, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.OPEN)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    carried_over = models.BooleanField(default=False, help_text="decision copied from an earlier scan")

    class Meta:
        ordering = ["scan", "order", "topic"]
        constraints = [models.UniqueConstraint(fields=["scan", "topic"], name="finding_unique_per_topic")]
        indexes = [models.Index(fields=["severity", "decision"])]

    def __str__(self):
        return f"{self.topic} ({self.status}, {self.severity})"

    def signature(self) -> tuple:
        """Identity of a finding across scans of the same document: topic, status, evidence quotes."""
        return (self.topic, self.status, tuple(sorted(e.get("quote", "") for e in self.evidence)))


class AuditEvent(models.Model):
    """Append-only history of a contract: uploads, scans, transitions, decisions, assignments."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.from_status}→{self.to_status}"


class Comment(models.Model):
    """A comment on a contract's review."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"comment {self.pk} on {self.contract_id}"
