"""REST API of the clause library and generator (issue 5): topics, clauses and versions, drafts.

A thin face over clauses/services.py and clauses/selectors.py. Error bodies are shaped by the project's
EXCEPTION_HANDLER (REST_FRAMEWORK setting); this module only raises DRF exceptions. Answers problems
(clauses.answers.AnswersError) come back as 400 with one field per problem, "answers.<dotted.key>".
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from clauses import assembly, services
from clauses.answers import EXAMPLE_ANSWERS, AnswersError
from clauses.api import permissions as perms
from clauses.api import serializers as s
from clauses.models import Clause, ClauseVersion, Draft, ImmutableVersionError, Topic

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The error body (documented in procurement/api/errors.py, the EXCEPTION_HANDLER).
E = inline_serializer("ClauseApiError", fields={"error": inline_serializer("ClauseApiErrorDetail", fields={
    "code": serializers.CharField(), "message": serializers.CharField(),
    "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))})})
ERR = {401: E, 403: E, 404: E}


class Conflict(exceptions.APIException):
    """409: the current state refuses the request (an approved version, a library lacking a clause)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The current state of the resource does not allow this."
    default_code = "conflict"


def answers_problem_fields(problems: list[str]) -> dict[str, list[str]]:
    """Map AnswersError problems ("<dotted.key>: <what>") to {"answers.<dotted.key>": [what, ...]}.

    A doc_type problem stays under "doc_type"; a problem without a key goes under "answers"."""
    fields: dict[str, list[str]] = {}
    for problem in problems:
        key, sep, what = problem.partition(": ")
        if not sep or " " in key:
            key, what = "", problem
        name = "doc_type" if key == "doc_type" else (f"answers.{key}" if key and key != "answers" else "answers")
        fields.setdefault(name, []).append(what)
    return fields


# --- topics ---------------------------------------------------------------------------------------------

@extend_schema(tags=["library"], responses={200: s.TopicSerializer(many=True), 401: E, 403: E})
class TopicListView(generics.ListAPIView):
    """The topic catalogue in catalogue order (every topic a scan report covers)."""

    permission_classes = [perms.LibraryReader]
    serializer_class = s.TopicSerializer
    queryset = Topic.objects.order_by("order")


@extend_schema(tags=["library"], responses={200: s.TopicSerializer, **ERR})
class TopicDetailView(generics.RetrieveAPIView):
    permission_classes = [perms.LibraryReader]
    serializer_class = s.TopicSerializer
    queryset = Topic.objects.all()
    lookup_url_kwarg = "topic_id"


# --- clauses ---------------------------------------------------------------------------------------------

def _clauses():
    approved = ClauseVersion.objects.filter(status=ClauseVersion.Status.APPROVED).select_related(
        "clause", "created_by", "approved_by").order_by("-number")
    return (Clause.objects.select_related("topic")
            .prefetch_related(Prefetch("versions", queryset=approved, to_attr="approved_versions"))
            .order_by("topic__order", "position"))


class ClauseListView(generics.GenericAPIView):
    """Clauses of the library (topic × position) with their latest approved wording."""

    permission_classes = [perms.LibraryReader]
    serializer_class = s.ClauseSerializer

    @extend_schema(parameters=[s.ClauseFilterSerializer], responses={200: s.ClauseSerializer(many=True), 400: E,
                                                                    401: E, 403: E}, tags=["library"])
    def get(self, request):
        f = s.ClauseFilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        qs = _clauses()
        if f.validated_data.get("topic"):
            qs = qs.filter(topic_id=f.validated_data["topic"])
        if f.validated_data.get("position"):
            qs = qs.filter(position=f.validated_data["position"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ClauseSerializer(page, many=True).data)


class ClauseDetailView(APIView):
    permission_classes = [perms.LibraryReader]

    @extend_schema(responses={200: s.ClauseSerializer, **ERR}, tags=["library"])
    def get(self, request, pk: int):
        return Response(s.ClauseSerializer(get_object_or_404(_clauses(), pk=pk)).data)


def _versions():
    return ClauseVersion.objects.select_related("clause", "created_by", "approved_by")


class ClauseVersionListView(generics.GenericAPIView):
    """Every version of a clause, newest first (drafts included)."""

    permission_classes = [perms.LibraryReader]
    serializer_class = s.ClauseVersionSerializer

    @extend_schema(responses={200: s.ClauseVersionSerializer(many=True), **ERR}, tags=["library"])
    def get(self, request, pk: int):
        clause = get_object_or_404(Clause, pk=pk)
        page = self.paginate_queryset(_versions().filter(clause=clause).order_by("-number"))
        return self.get_paginated_response(s.ClauseVersionSerializer(page, many=True).data)


class ClauseVersionDetailView(APIView):
    """GET: one version. PATCH (legal): change the wording of a draft version; 409 for an approved one
    (approved wording never changes: create a new draft from it instead)."""

    def get_permissions(self):
        return [perms.ClauseEditor()] if self.request.method == "PATCH" else [perms.LibraryReader()]

    @extend_schema(responses={200: s.ClauseVersionSerializer, **ERR}, tags=["library"])
    def get(self, request, pk: int):
        return Response(s.ClauseVersionSerializer(get_object_or_404(_versions(), pk=pk)).data)

    @extend_schema(request=s.NewDraftVersionSerializer, responses={200: s.ClauseVersionSerializer, 400: E, 409: E,
                                                                   **ERR}, tags=["library"])
    def patch(self, request, pk: int):
        version = get_object_or_404(_versions(), pk=pk)
        inp = s.NewDraftVersionSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        d = inp.validated_data
        terms = d["defined_terms"] if "defined_terms" in d else (None if "text" in d else version.defined_terms)
        try:
            services.clause_version_update_draft(version=version, title=d.get("title", version.title),
                                                 text=d.get("text", version.text), defined_terms=terms,
                                                 actor=request.user)
        except ImmutableVersionError as exc:
            raise Conflict(" ".join(exc.messages)) from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"text": exc.messages}) from None
        return Response(s.ClauseVersionSerializer(_versions().get(pk=pk)).data)


class ClauseVersionNewDraftView(APIView):
    """Legal: create the clause's next draft version from this version's wording (fields given replace it).
    The wording is checked (variables, syntax, defined terms): problems come back under `text`."""

    permission_classes = [perms.ClauseEditor]

    @extend_schema(request=s.NewDraftVersionSerializer, responses={201: s.ClauseVersionSerializer, 400: E, **ERR},
                   tags=["library"])
    def post(self, request, pk: int):
        source = get_object_or_404(_versions(), pk=pk)
        inp = s.NewDraftVersionSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        d = inp.validated_data
        terms = d["defined_terms"] if "defined_terms" in d else (None if "text" in d else source.defined_terms)
        try:
            version = services.clause_version_create_draft(
                clause=source.clause, title=d.get("title", source.title), text=d.get("text", source.text),
                defined_terms=terms, actor=request.user)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"text": exc.messages}) from None
        return Response(s.ClauseVersionSerializer(_versions().get(pk=version.pk)).data, status=status.HTTP_201_CREATED)


class ClauseVersionApproveView(APIView):
    """Legal: approve a draft version; it becomes immutable and the one generation uses. 409 if it is
    already approved."""

    permission_classes = [perms.ClauseEditor]

    @extend_schema(request=None, responses={200: s.ClauseVersionSerializer, 400: E, 409: E, **ERR},
                   tags=["library"])
    def post(self, request, pk: int):
        version = get_object_or_404(ClauseVersion, pk=pk)
        try:
            services.clause_version_approve(version=version, actor=request.user)
        except ImmutableVersionError as exc:
            raise Conflict(" ".join(exc.messages)) from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"text": exc.messages}) from None
        return Response(s.ClauseVersionSerializer(_versions().get(pk=pk)).data)


# --- drafts ------------------------------------------------------------------------------------------------

class DraftListView(generics.GenericAPIView):
    """GET: generated drafts, newest first. POST: generate a SOW or DPA from answers and record it."""

    permission_classes = [perms.Drafter]
    serializer_class = s.DraftSerializer

    @extend_schema(responses={200: s.DraftSerializer(many=True), 401: E, 403: E}, tags=["drafts"])
    def get(self, request):
        page = self.paginate_queryset(Draft.objects.select_related("created_by").prefetch_related("clause_versions")
                                      .order_by("-created_at", "-id"))
        return self.get_paginated_response(s.DraftSerializer(page, many=True).data)

    @extend_schema(request=s.DraftCreateSerializer, responses={201: s.DraftSerializer, 400: E, 401: E, 403: E, 409: E},
                   examples=[OpenApiExample("SOW", value={"doc_type": "sow", "answers": EXAMPLE_ANSWERS},
                                            request_only=True)],
                   tags=["drafts"])
    def post(self, request):
        inp = s.DraftCreateSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        try:
            draft = services.draft_generate(doc_type=inp.validated_data["doc_type"],
                                            answers=inp.validated_data["answers"], actor=request.user)
        except AnswersError as exc:
            raise exceptions.ValidationError(answers_problem_fields(exc.problems)) from None
        except assembly.AssemblyError as exc:
            raise Conflict(str(exc)) from None
        body = s.DraftSerializer(Draft.objects.select_related("created_by").get(pk=draft.pk)).data
        return Response(body, status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:draft-detail", args=[draft.pk])})


class DraftDetailView(APIView):
    permission_classes = [perms.Drafter]

    @extend_schema(responses={200: s.DraftSerializer, **ERR}, tags=["drafts"])
    def get(self, request, pk: int):
        return Response(s.DraftSerializer(get_object_or_404(Draft.objects.select_related("created_by"), pk=pk)).data)


class DraftDownloadView(APIView):
    """The draft's .docx."""

    permission_classes = [perms.Drafter]

    @extend_schema(responses={(200, DOCX_MIME): OpenApiTypes.BINARY, **ERR}, tags=["drafts"])
    def get(self, request, pk: int):
        draft = get_object_or_404(Draft, pk=pk)
        name = f"{draft.doc_type}-{draft.pk}-{draft.created_at:%Y%m%d}.docx"
        try:
            if not draft.file:
                raise FileNotFoundError(draft.pk)
            handle = draft.file.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(f"Draft {draft.pk} has no stored .docx; generate it again.") from None
        return FileResponse(handle, as_attachment=True, filename=name, content_type=DOCX_MIME)
