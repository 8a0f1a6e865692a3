"""Clause library models: the topic catalogue, versioned clause wording, and generated drafts.

Versioning rules (issue 2): an approved `ClauseVersion` is immutable (enforced in `save()`, `delete()` and
the services); editing creates a new draft version; only the latest approved version of each
(topic, position) is used in generation.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Topic(models.Model):
    """A catalogue topic (shared/spec/topics.md). `id` is the stable API id, e.g. "input.no_training"."""

    class Severity(models.TextChoices):
        HIGH = "high"
        MEDIUM = "medium"
        LOW = "low"
        INFO = "info"

    id = models.CharField(primary_key=True, max_length=64)
    group = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    favourable = models.TextField(help_text="The customer's favourable position (present).")
    conflicting = models.TextField(help_text="Language that contradicts the favourable position (conflict).")
    profiles = models.JSONField(help_text='Per profile "R", "O" or "-", e.g. {"dpa": "R", ...}.')
    default_severity = models.CharField(max_length=8, choices=Severity.choices)
    order = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.id


class Position(models.TextChoices):
    """Negotiating positions of a clause, most favourable first."""

    PREFERRED = "preferred"
    FALLBACK = "fallback"
    WALK_AWAY = "walk_away", "Walk-away"


class Clause(models.Model):
    """One (topic, position) slot of the clause library; its wording lives in `ClauseVersion` rows."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="clauses")
    position = models.CharField(max_length=16, choices=Position.choices)

    class Meta:
        ordering = ["topic__order", "position"]
        constraints = [models.UniqueConstraint(fields=["topic", "position"], name="clause_unique_topic_position")]

    def __str__(self):
        return f"{self.topic_id} [{self.position}]"


class ImmutableVersionError(ValidationError):
    """Raised when something tries to change or delete an approved clause version."""


class ClauseVersion(models.Model):
    """One wording of a clause. Drafts may be edited; once approved a version never changes.

    `text` is a Jinja expression template over the answers (e.g. ``{{ customer.name }}``,
    ``{{ retention_days }}``); `variables` lists the answer names it uses; `defined_terms` the terms of
    the definitions file it relies on. `data_sha256` is set on versions loaded from the data files so a
    reload can tell whether the file text changed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft"
        APPROVED = "approved"

    class Source(models.TextChoices):
        DATA_FILE = "data_file", "Data file"
        EDITOR = "editor", "Editor"

    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    text = models.TextField()
    variables = models.JSONField(default=list, blank=True)
    defined_terms = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.EDITOR)
    data_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Empty for versions loaded by the system from the data files.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["clause__topic__order", "clause__position", "-number"]
        constraints = [models.UniqueConstraint(fields=["clause", "number"], name="clauseversion_unique_number")]

    def __str__(self):
        return f"{self.clause} v{self.number} ({self.status})"

    def save(self, *args, **kwargs):
        """Save, refusing any change to a version that is already approved in the database."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.APPROVED:
                raise ImmutableVersionError(f"{self} is approved and cannot be changed; create a new draft version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Delete a draft; approved versions are part of the record and cannot be deleted."""
        if type(self).objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise ImmutableVersionError(f"{self} is approved and cannot be deleted")
        return super().delete(*args, **kwargs)

    def clean(self):
        """Check the wording's variables and defined terms against the library's known names."""
        from clauses.library import check_clause_text  # pure; imported lazily to keep models cheap

        problems = check_clause_text(self.text, self.defined_terms or [])
        if problems:
            raise ValidationError({"text": problems})


class Draft(models.Model):
    """A generated SOW or DPA: the answers, the clause versions and template used, and the file."""

    class DocType(models.TextChoices):
        SOW = "sow", "Statement of Work"
        DPA = "dpa", "Data Processing Agreement"

    doc_type = models.CharField(max_length=8, choices=DocType.choices)
    answers = models.JSONField()
    topics = models.JSONField(default=list, help_text="Topic ids covered, in document order.")
    clause_versions = models.ManyToManyField(ClauseVersion, related_name="drafts")
    template_key = models.CharField(max_length=32)
    template_sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="drafts/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_doc_type_display()} #{self.pk}"
