"""Serializers of the clause library API: shapes only; the services check wording and answers."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clauses.models import Clause, ClauseVersion, Draft, Topic


class PersonSerializer(serializers.Serializer):
    """A user as the library shows them (id and username)."""

    id = serializers.IntegerField()
    username = serializers.CharField()


class TopicSerializer(serializers.ModelSerializer):
    """A catalogue topic (shared/spec/topics.md); `id` is the stable API id."""

    class Meta:
        model = Topic
        fields = ["id", "group", "title", "favourable", "conflicting", "profiles", "default_severity", "order"]


class ClauseVersionSerializer(serializers.ModelSerializer):
    """One wording of a clause. Approved versions never change; drafts may be approved by legal."""

    topic = serializers.CharField(source="clause.topic_id")
    position = serializers.CharField(source="clause.position")
    created_by = PersonSerializer(allow_null=True)
    approved_by = PersonSerializer(allow_null=True)

    class Meta:
        model = ClauseVersion
        fields = ["id", "clause", "topic", "position", "number", "status", "title", "text", "variables",
                  "defined_terms", "source", "created_by", "created_at", "approved_by", "approved_at"]


class ClauseSerializer(serializers.ModelSerializer):
    """A (topic, position) slot of the library with its latest approved wording (null if none)."""

    topic = serializers.CharField(source="topic_id")
    latest_approved = serializers.SerializerMethodField()
    versions_url = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = ["id", "topic", "position", "latest_approved", "versions_url"]

    @extend_schema_field(ClauseVersionSerializer(allow_null=True))
    def get_latest_approved(self, obj):
        approved = getattr(obj, "approved_versions", None)
        if approved is None:
            approved = list(obj.versions.filter(status=ClauseVersion.Status.APPROVED).order_by("-number")[:1])
        return ClauseVersionSerializer(approved[0]).data if approved else None

    def get_versions_url(self, obj) -> str:
        return reverse("api:clause-versions", args=[obj.pk])


class ClauseFilterSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=64, required=False, help_text="Topic id, e.g. input.no_training.")
    position = serializers.ChoiceField(choices=["preferred", "fallback", "walk_away"], required=False)


class NewDraftVersionSerializer(serializers.Serializer):
    """A new draft version of the clause, starting from the given version's wording; any field given
    replaces that wording. `defined_terms` defaults to the terms found in the text."""

    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(max_length=20000, required=False)
    defined_terms = serializers.ListField(child=serializers.CharField(max_length=100), required=False,
                                          max_length=100, allow_null=True)


class DraftSerializer(serializers.ModelSerializer):
    """A generated SOW or DPA: the answers, the clause versions and template used."""

    created_by = PersonSerializer(allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = ["id", "doc_type", "answers", "topics", "clause_versions", "template_key", "template_sha256",
                  "created_by", "created_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("api:draft-download", args=[obj.pk])


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _surrogate_path(value, path: str = "answers") -> str | None:
    """Return the dotted path of the first string or key holding a lone surrogate, or None.

    Such text is not valid Unicode: it can neither go into a .docx nor be echoed in a JSON error."""
    if isinstance(value, str):
        return path if _has_surrogate(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{str(key).encode('utf-8', 'backslashreplace').decode()}"
            if _has_surrogate(str(key)):
                return sub
            if found := _surrogate_path(item, sub):
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            if found := _surrogate_path(item, f"{path}[{i}]"):
                return found
    return None


def answers_json_schema(spec=None) -> dict:
    """Return the JSON Schema of drafting answers v1, derived from clauses.answers.SCHEMA (the same data
    the validation uses), for the OpenAPI document. Unknown keys are refused (additionalProperties)."""
    from clauses.answers import DEPLOYMENTS, OPTIONAL, POSITIONS, SCHEMA

    def one(kind):
        if isinstance(kind, dict):
            return {"type": "object", "properties": {k: one(v) for k, v in kind.items()},
                    "required": list(kind), "additionalProperties": False}
        name = kind[0] if isinstance(kind, tuple) else kind
        if name in ("text", "multiline"):
            return {"type": "string", "minLength": 1}
        if name == "date":
            return {"type": "string", "format": "date"}
        if name == "int":
            return {"type": "integer", "minimum": kind[1]}
        if name == "bool":
            return {"type": "boolean"}
        if name == "choice":
            return {"type": "string", "enum": list(kind[1] if isinstance(kind, tuple) else DEPLOYMENTS)}
        if name == "list":
            return {"type": "array", "items": one(kind[1])}
        if name == "positions":
            return {"type": "object", "additionalProperties": {"type": "string", "enum": list(POSITIONS)},
                    "description": "topic id -> preferred | fallback | walk_away"}
        raise ValueError(f"unknown answers kind {name!r}")

    schema = one(SCHEMA if spec is None else spec)
    schema["required"] = [k for k in schema["required"] if k not in OPTIONAL]
    schema["description"] = "Drafting answers v1 (shared/spec/answers.md)."
    return schema


@extend_schema_field(answers_json_schema())
class AnswersField(serializers.JSONField):
    """Any JSON; validated by the service (clauses.answers.validate_answers), every problem at once."""


class DraftCreateSerializer(serializers.Serializer):
    """Generate a SOW or DPA from answers (shared/spec/answers.md). Every problem in the answers comes
    back at once, each under `fields["answers.<dotted.key>"]`."""

    doc_type = serializers.ChoiceField(choices=Draft.DocType.choices)
    answers = AnswersField(help_text="Drafting answers v1 (shared/spec/answers.md).")

    def validate_answers(self, value):
        where = _surrogate_path(value)
        if where:
            raise serializers.ValidationError(f"{where}: contains invalid Unicode (a lone surrogate).")
        return value
