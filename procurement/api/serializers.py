"""Serializers of the procurement API: parse input and shape output; the services decide.

Input serializers validate types, lengths and choices only. Workflow rules (which moves are allowed,
who may be assigned, when a finding may be decided) stay in procurement/services.py; a refusal there
becomes a 409 or a field error in the views.
"""
from django.urls import reverse
from rest_framework import serializers

from procurement import services
from procurement.models import (
    PROFILE_CHOICES,
    AuditEvent,
    Comment,
    Contract,
    ContractVersion,
    Finding,
    Scan,
    Vendor,
)
from procurement.statuses import ALLOWED_TRANSITIONS, REVIEW_ACTIONS, ContractStatus, Decision, ScanStatus

# Ids arrive as path or query values; beyond a signed 64-bit integer the databases overflow (SQLite raises
# OverflowError, a 500) instead of "not found". Bounded here and in the "id" path converter.
MAX_ID = 2**63 - 1


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. invalid, conflict, not_found.")
    message = serializers.CharField(help_text="One line for people: what is wrong and what to do.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text='Offending inputs (nested ones dotted) and their messages; {} if none.')


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (procurement/api/errors.py)."""

    error = ErrorDetailSerializer()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class VendorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "created_at"]


class ScanBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scan
        fields = ["id", "status", "checker_version", "error", "finished_at"]


class VersionSerializer(serializers.ModelSerializer):
    """One uploaded document of a contract (the extracted text is not included)."""

    uploaded_by = UserRefSerializer()
    scans = ScanBriefSerializer(many=True, read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = ContractVersion
        fields = ["id", "number", "original_filename", "sha256", "size", "format", "warnings", "uploaded_by",
                  "uploaded_at", "scans", "file_url"]

    def get_file_url(self, obj) -> str:
        return reverse("api:contract-version-file", args=[obj.contract_id, obj.number])


class VersionTextSerializer(serializers.ModelSerializer):
    """Extraction's output for a version: `text`, and `sections`/`pages` as character offsets into it."""

    sections = serializers.ListField(child=serializers.DictField())
    pages = serializers.ListField(child=serializers.DictField())
    warnings = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ContractVersion
        fields = ["number", "sha256", "format", "text", "sections", "pages", "warnings"]


class CurrentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractVersion
        fields = ["id", "number", "original_filename", "sha256", "size", "format", "uploaded_at"]


class ContractSerializer(serializers.ModelSerializer):
    """A vendor contract under review, as listed. `open_high`: open high-severity findings of the
    current scan; `overdue`: the due date has passed and the review is not finished."""

    vendor = VendorSerializer()
    assignee = UserRefSerializer(allow_null=True)
    created_by = UserRefSerializer()
    current_version = CurrentVersionSerializer(allow_null=True)
    current_scan = ScanBriefSerializer(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    open_high = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "url", "vendor", "title", "profile", "status", "assignee", "due_date", "overdue",
                  "created_by", "created_at", "status_changed_at", "current_version", "current_scan", "open_high"]

    def get_open_high(self, obj) -> int:
        value = getattr(obj, "open_high", None)
        return value if value is not None else services.open_high_findings_count(scan_id=obj.current_scan_id)

    def get_url(self, obj) -> str:
        return reverse("api:contract-detail", args=[obj.pk])


class ContractDetailSerializer(ContractSerializer):
    """A contract with its review fields and the review moves legal can make from its status."""

    allowed_transitions = serializers.SerializerMethodField()
    draft = serializers.IntegerField(source="draft_id", allow_null=True)

    class Meta(ContractSerializer.Meta):
        fields = ContractSerializer.Meta.fields + ["draft", "draft_reference", "review_started_at", "closed_at",
                                                   "allowed_transitions"]

    def get_allowed_transitions(self, obj) -> list[str]:
        return [to for to in REVIEW_ACTIONS if to in ALLOWED_TRANSITIONS.get(obj.status, ())]


class UploadResultSerializer(ContractDetailSerializer):
    """The contract an upload created (201) or found (200, `duplicate: true`), with the version."""

    duplicate = serializers.BooleanField(help_text="True when this exact file (same sha256) was already "
                                                   "uploaded for this vendor; nothing new was stored.")
    version = VersionSerializer()

    class Meta(ContractDetailSerializer.Meta):
        fields = ContractDetailSerializer.Meta.fields + ["duplicate", "version"]


class ContractUploadSerializer(serializers.Serializer):
    """multipart/form-data: a new vendor contract and its first document."""

    vendor = serializers.CharField(max_length=200, help_text="Vendor name; a new name creates the vendor "
                                                             "(names match regardless of case).")
    title = serializers.CharField(max_length=200, help_text="Engagement title.")
    profile = serializers.ChoiceField(choices=PROFILE_CHOICES, default="auto")
    draft = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                     help_text="Id of the SOW/DPA draft generated here for this engagement.")
    draft_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text=".docx, .pdf, .txt, .md (or .html); the content decides the type.")

    def validate_draft(self, value):
        from clauses.models import Draft

        if value is not None and not Draft.objects.filter(pk=value).exists():
            raise serializers.ValidationError(f"No draft with id {value}.")
        return value


class VersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The new version of the contract's document.")


class ContractFilterSerializer(serializers.Serializer):
    """Query parameters of the contract list."""

    status = serializers.ChoiceField(choices=ContractStatus.choices, required=False)
    vendor = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Vendor id.")
    assignee = serializers.RegexField(r"^(none|[1-9][0-9]{0,17})$", required=False,
                                      help_text='Reviewer user id, or "none" for unassigned.')
    overdue = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(max_length=200, required=False, help_text="Text in the title or vendor name.")


class ScanSerializer(serializers.ModelSerializer):
    """A checker run over one version. Poll until `done`; then fetch `report_url` (status succeeded)."""

    contract = serializers.IntegerField(source="version.contract_id")
    version = serializers.IntegerField(source="version.number")
    done = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = ["id", "contract", "version", "status", "done", "checker_version", "profile", "error", "attempts",
                  "created_at", "started_at", "finished_at", "summary", "report_url"]

    def get_done(self, obj) -> bool:
        return obj.status in (ScanStatus.SUCCEEDED, ScanStatus.FAILED)

    def get_summary(self, obj) -> dict | None:
        return (obj.report or {}).get("summary") if obj.report else None

    def get_report_url(self, obj) -> str:
        return reverse("api:scan-report", args=[obj.pk])


# --- scan-report/1 (shared/spec/scan-report.md), for the schema only: the API returns the stored JSON ---

class EvidenceSerializer(serializers.Serializer):
    quote = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    section = serializers.CharField(allow_null=True)
    page = serializers.IntegerField(allow_null=True)
    polarity = serializers.CharField()


class ReportTopicSerializer(serializers.Serializer):
    topic = serializers.CharField()
    status = serializers.ChoiceField(choices=["present", "conflict", "missing"])
    required = serializers.BooleanField()
    finding = serializers.BooleanField()
    severity = serializers.ChoiceField(choices=["high", "medium", "low", "info"])
    value = serializers.CharField(allow_null=True)
    explanation = serializers.CharField()
    evidence = EvidenceSerializer(many=True)
    suggested_clause = serializers.CharField(allow_null=True)


class ScanReportSerializer(serializers.Serializer):
    """scan-report/1 exactly as stored (shared/spec/scan-report.md); fields may be added."""

    schema = serializers.CharField()
    checker_version = serializers.CharField()
    document = serializers.DictField()
    topics = ReportTopicSerializer(many=True)
    summary = serializers.DictField(child=serializers.IntegerField())


class FindingSerializer(serializers.ModelSerializer):
    """A topic of the report with `finding: true`, plus legal's decision on it."""

    decided_by = UserRefSerializer(allow_null=True)
    contract = serializers.IntegerField(source="scan.version.contract_id")

    class Meta:
        model = Finding
        fields = ["id", "contract", "scan", "topic", "order", "status", "severity", "required", "value",
                  "explanation", "evidence", "suggested_clause", "decision", "decision_comment", "decided_by",
                  "decided_at", "carried_over"]


class FindingFilterSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices, required=False)
    severity = serializers.ChoiceField(choices=["high", "medium", "low", "info"], required=False)


class DecisionSerializer(serializers.Serializer):
    """Legal's decision on a finding. accepted_risk and false_positive need a comment saying why."""

    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def validate(self, data):
        # The rule is the service's (services.COMMENT_REQUIRED); checked here only to name the field.
        if data["decision"] in services.COMMENT_REQUIRED and not data["comment"].strip():
            raise serializers.ValidationError(
                {"comment": [f"Say why in a comment when marking a finding "
                             f"'{Decision(data['decision']).label.lower()}'."]})
        return data


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=list(REVIEW_ACTIONS.items()),
                                        help_text="in_review, changes_requested, approved or rejected.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, required=False,
                                        default=None, help_text="User id of a legal reviewer; null clears it.")
    due_date = serializers.DateField(allow_null=True, required=False, default=None)


class CommentSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)
    body = serializers.CharField(max_length=10000)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class AuditEventSerializer(serializers.ModelSerializer):
    """One row of a contract's history: uploads, scans, transitions, decisions, assignments, comments."""

    actor = UserRefSerializer(allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "kind", "actor", "from_status", "to_status", "note", "data"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    is_superuser = serializers.BooleanField()
