"""Clause library models: the topic catalogue as rows.

Clause and version models and generated drafts are added next to `Topic` (issue 2).
"""
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
