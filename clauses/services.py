"""Writes for the clause library: catalogue load (idempotent)."""
from django.db import transaction

from clauses import catalogue
from clauses.models import Topic


@transaction.atomic
def catalogue_load() -> dict:
    """Create or update every catalogue topic from `clauses/data/topics.json`; idempotent.

    Returns {"created": n, "updated": n, "unchanged": n}.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for spec in catalogue.topics():
        fields = {
            "group": spec.group,
            "title": spec.title,
            "favourable": spec.favourable,
            "conflicting": spec.conflicting,
            "profiles": spec.profiles,
            "default_severity": spec.default_severity,
            "order": spec.order,
        }
        row = Topic.objects.filter(pk=spec.id).first()
        if row is None:
            Topic.objects.create(id=spec.id, **fields)
            counts["created"] += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            row.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
