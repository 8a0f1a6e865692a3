"""REST API of the review workflow (issue 5): a thin face over procurement services and selectors.

Each view parses input with a serializer, checks the same permission as the page (procurement/
permissions.py: 401 anonymous, 403 refused, 404 unknown id), calls one service or selector and renders.
Workflow refusals (`services.ReviewError`) become 409 Conflict; error bodies come from
procurement/api/errors.py.
"""

from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from procurement import permissions as policy
from procurement import selectors, services
from procurement.api import permissions as perms
from procurement.api import serializers as s
from procurement.api.errors import Conflict, UnsupportedDocument, payload_too_large
from procurement.api.services_extra import UnsupportedUpload, UploadOverLimit, upload_read
from procurement.api.throttles import ScanStartThrottledMixin
from procurement.models import Contract, ContractVersion, Finding, Scan, Vendor
from procurement.roles import ROLES
from procurement.statuses import ScanStatus
from procurement.uploads import SizeLimitedUploadHandler

E = s.ErrorSerializer
ERR = {401: E, 403: E, 404: E}
CONTRACT_RELATED = ("vendor", "created_by", "assignee", "current_version", "current_scan")


def contract_or_403(request, pk: int, check=policy.can_view_contract) -> Contract:
    """Return the contract or raise 404 (unknown id) / 403 (`check(user, contract)` is False)."""
    contract = get_object_or_404(Contract.objects.select_related(*CONTRACT_RELATED), pk=pk)
    if not check(request.user, contract):
        raise PermissionDenied("You may not see or change this contract.")
    return contract


def _upload_bytes(validated_file) -> bytes:
    try:
        data, _fmt = upload_read(uploaded_file=validated_file)
    except UploadOverLimit:
        raise payload_too_large() from None
    except UnsupportedUpload as exc:
        raise UnsupportedDocument(f"Unsupported file type: {exc}.") from None
    return data


class LimitedUploadMixin:
    """Install the size-limited upload handler before anything reads the body (the CSRF check of
    session authentication reads request.POST), so a too-large upload stops early with 413."""

    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)


def _upload_response(request, result: services.UploadResult) -> Response:
    if result.duplicate and not policy.can_view_contract(request.user, result.contract):
        raise Conflict("This exact file was already uploaded for this vendor, in a contract you cannot see; "
                       "ask legal or a manager.")
    contract = Contract.objects.select_related(*CONTRACT_RELATED).get(pk=result.contract.pk)
    contract.duplicate = result.duplicate
    contract.version = (ContractVersion.objects.select_related("uploaded_by").prefetch_related("scans")
                        .get(pk=result.version.pk))
    body = s.UploadResultSerializer(contract).data
    if result.duplicate:
        return Response(body, status=status.HTTP_200_OK)
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


# --- me, vendors --------------------------------------------------------------------------------------

class MeView(APIView):
    """The authenticated user and their roles (to check a token)."""

    @extend_schema(responses={200: s.MeSerializer, 401: E}, tags=["auth"])
    def get(self, request):
        user = request.user
        roles = [r for r in ROLES if user.groups.filter(name=r).exists()]
        return Response(s.MeSerializer({"id": user.pk, "username": user.username, "roles": roles,
                                        "is_superuser": user.is_superuser}).data)


class VendorListView(generics.ListAPIView):
    """Vendors (ids for the contract list's `vendor` filter)."""

    permission_classes = [perms.AnyRole]
    serializer_class = s.VendorSerializer
    queryset = Vendor.objects.order_by("name", "pk")

    @extend_schema(responses={200: s.VendorSerializer(many=True), **ERR}, tags=["contracts"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- contracts ----------------------------------------------------------------------------------------

class ContractListView(ScanStartThrottledMixin, LimitedUploadMixin, generics.GenericAPIView):
    """GET: the contracts you may see, filtered. POST (procurement): upload a new contract (multipart)."""

    serializer_class = s.ContractSerializer

    def get_permissions(self):
        return [perms.CanUpload()] if self.request.method == "POST" else [perms.AnyRole()]

    @extend_schema(parameters=[s.ContractFilterSerializer], responses={200: s.ContractSerializer(many=True),
                                                                      400: E, 401: E, 403: E},
                   tags=["contracts"])
    def get(self, request):
        f = s.ContractFilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        qs = selectors.contract_list_for_user(
            user=request.user, status=d.get("status", ""), vendor_id=str(d.get("vendor") or ""),
            assignee_id=d.get("assignee", ""), overdue=d.get("overdue", False), q=d.get("q", ""))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ContractSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.ContractUploadSerializer},
        responses={201: s.UploadResultSerializer,
                   200: OpenApiResponse(s.UploadResultSerializer, description="Identical file already uploaded "
                                        "for this vendor: the existing record, `duplicate: true`."),
                   400: E, 401: E, 403: E, 409: E, 413: E, 415: E},
        tags=["contracts"])
    def post(self, request):
        inp = s.ContractUploadSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        d = inp.validated_data
        data = _upload_bytes(d["file"])
        try:
            result = services.contract_upload(
                vendor_name=d["vendor"], title=d["title"], profile=d["profile"], data=data, filename=d["file"].name,
                draft_reference=d.get("draft_reference", ""), draft_id=d.get("draft"), actor=request.user)
        except services.ReviewError as exc:
            raise ValidationError({"vendor": [str(exc)]}) from None
        return _upload_response(request, result)


class ContractDetailView(APIView):
    """One contract with its review state and the review moves possible from it."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={200: s.ContractDetailSerializer, **ERR}, tags=["contracts"])
    def get(self, request, pk: int):
        return Response(s.ContractDetailSerializer(contract_or_403(request, pk)).data)


class ContractVersionsView(LimitedUploadMixin, generics.GenericAPIView):
    """GET: the contract's versions, newest first. POST (procurement): upload a new version (multipart);
    the contract goes back to `scanning`. The same bytes as an earlier version return it (200)."""

    permission_classes = [perms.AnyRole]
    serializer_class = s.VersionSerializer

    @extend_schema(responses={200: s.VersionSerializer(many=True), **ERR}, tags=["contracts"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        qs = (contract.versions.select_related("uploaded_by")
              .prefetch_related(Prefetch("scans", queryset=Scan.objects.order_by("-created_at", "-pk")))
              .order_by("-number"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.VersionSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.VersionUploadSerializer},
        responses={201: s.UploadResultSerializer,
                   200: OpenApiResponse(s.UploadResultSerializer, description="Identical file already uploaded: "
                                        "the existing record, `duplicate: true`."),
                   400: E, 401: E, 403: E, 404: E, 409: E, 413: E, 415: E},
        tags=["contracts"])
    def post(self, request, pk: int):
        contract = contract_or_403(request, pk, policy.can_upload_version)
        inp = s.VersionUploadSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        f = inp.validated_data["file"]
        data = _upload_bytes(f)
        result = services.contract_version_upload(contract_id=contract.pk, data=data, filename=f.name,
                                                  actor=request.user)
        return _upload_response(request, result)


class ContractVersionFileView(APIView):
    """Download the uploaded file of one version under its sanitised original name."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERR}, tags=["contracts"])
    def get(self, request, pk: int, number: int):
        contract = contract_or_403(request, pk)
        version = get_object_or_404(contract.versions, number=number)
        if not version.file:
            raise NotFound("This document was deleted (retention policy or a manager's request).")
        try:
            handle = version.file.open("rb")
        except FileNotFoundError:
            raise NotFound(f"The stored file of version {number} is missing; upload the document again.") from None
        return FileResponse(handle, as_attachment=True, filename=version.original_filename,
                            content_type="application/octet-stream")


class ContractVersionTextView(APIView):
    """The extracted plain text of one version, with its sections and pages: what the report's evidence
    offsets (`start`, `end`, characters) point into. Empty after the documents were deleted."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={200: s.VersionTextSerializer, **ERR}, tags=["contracts"])
    def get(self, request, pk: int, number: int):
        contract = contract_or_403(request, pk)
        version = get_object_or_404(contract.versions, number=number)
        return Response(s.VersionTextSerializer(version).data)


# --- scans ---------------------------------------------------------------------------------------------

def _scan(request, scan_id: int) -> Scan:
    scan = get_object_or_404(Scan.objects.select_related("version__contract__created_by"), pk=scan_id)
    if not policy.can_view_contract(request.user, scan.version.contract):
        raise PermissionDenied("You may not see this contract's scans.")
    return scan


class ContractScansView(generics.GenericAPIView):
    """Every scan of every version of the contract, newest first (history of reports)."""

    permission_classes = [perms.AnyRole]
    serializer_class = s.ScanSerializer

    @extend_schema(responses={200: s.ScanSerializer(many=True), **ERR}, tags=["scans"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        qs = Scan.objects.filter(version__contract=contract).select_related("version").order_by("-created_at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ScanSerializer(page, many=True).data)


class ContractRescanView(ScanStartThrottledMixin, APIView):
    """Legal/manager: scan the current version again with the current checker (back to `scanning`)."""

    permission_classes = [perms.CanRescan]

    @extend_schema(request=None, responses={202: s.ScanSerializer, 409: E, **ERR}, tags=["scans"])
    def post(self, request, pk: int):
        contract = contract_or_403(request, pk)
        try:
            scan = services.contract_rescan(contract_id=contract.pk, actor=request.user)
        except services.ReviewError as exc:
            raise Conflict(str(exc)) from None
        scan.refresh_from_db()
        return Response(s.ScanSerializer(scan).data, status=status.HTTP_202_ACCEPTED)


class ContractRetryView(ScanStartThrottledMixin, APIView):
    """Retry the failed scan of the contract's current version (only in `scan_failed`, else 409)."""

    permission_classes = [perms.AnyRole]

    @extend_schema(request=None, responses={202: s.ScanSerializer, 409: E, **ERR}, tags=["scans"])
    def post(self, request, pk: int):
        contract = contract_or_403(request, pk, policy.can_retry_scan)
        try:
            scan = services.scan_retry(contract_id=contract.pk, actor=request.user)
        except services.ReviewError as exc:
            raise Conflict(str(exc)) from None
        scan.refresh_from_db()
        return Response(s.ScanSerializer(scan).data, status=status.HTTP_202_ACCEPTED)


class ScanDetailView(APIView):
    """Scan status for polling: `done` turns true when it succeeded or failed (`error` says why)."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={200: s.ScanSerializer, **ERR}, tags=["scans"])
    def get(self, request, scan_id: int):
        return Response(s.ScanSerializer(_scan(request, scan_id)).data)


class ScanReportView(APIView):
    """The stored report of a succeeded scan, exactly as stored (scan-report/1); 409 until it exists."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={200: s.ScanReportSerializer, 409: E, **ERR}, tags=["scans"])
    def get(self, request, scan_id: int):
        scan = _scan(request, scan_id)
        if scan.status != ScanStatus.SUCCEEDED or scan.report is None:
            why = f": {scan.error}" if scan.error else ""
            raise Conflict(f"Scan {scan.pk} is {scan.status}; its report exists once it has succeeded{why}")
        return Response(scan.report)


# --- findings ------------------------------------------------------------------------------------------

class ContractFindingsView(generics.GenericAPIView):
    """Findings of the contract's current scan in catalogue order, filterable by decision and severity."""

    permission_classes = [perms.AnyRole]
    serializer_class = s.FindingSerializer

    @extend_schema(parameters=[s.FindingFilterSerializer], responses={200: s.FindingSerializer(many=True),
                                                                     400: E, **ERR}, tags=["findings"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        f = s.FindingFilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        qs = (Finding.objects.filter(scan_id=contract.current_scan_id).select_related("decided_by", "scan__version")
              .order_by("order", "topic"))
        for key in ("decision", "severity"):
            if f.validated_data.get(key):
                qs = qs.filter(**{key: f.validated_data[key]})
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.FindingSerializer(page, many=True).data)


def _finding(request, pk: int) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("decided_by", "scan__version__contract__created_by"),
                                pk=pk)
    if not policy.can_view_contract(request.user, finding.scan.version.contract):
        raise PermissionDenied("You may not see this contract's findings.")
    return finding


class FindingDetailView(APIView):
    permission_classes = [perms.AnyRole]

    @extend_schema(responses={200: s.FindingSerializer, **ERR}, tags=["findings"])
    def get(self, request, pk: int):
        return Response(s.FindingSerializer(_finding(request, pk)).data)


class FindingDecisionView(APIView):
    """Legal: decide a finding of the current scan (409 for an older scan or a contract not under review)."""

    permission_classes = [perms.CanReview]

    @extend_schema(request=s.DecisionSerializer, responses={200: s.FindingSerializer, 400: E, 409: E, **ERR},
                   tags=["findings"])
    def post(self, request, pk: int):
        finding = _finding(request, pk)
        inp = s.DecisionSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        try:
            services.finding_decide(finding_id=finding.pk, decision=inp.validated_data["decision"],
                                    comment=inp.validated_data["comment"], actor=request.user)
        except services.ReviewError as exc:
            raise Conflict(str(exc)) from None
        return Response(s.FindingSerializer(_finding(request, pk)).data)


# --- reviews -------------------------------------------------------------------------------------------

class ContractTransitionView(APIView):
    """Legal: move the review (start, request changes, approve, reject). 409 when the move is not allowed
    from the current status, or approval while high-severity findings are open."""

    permission_classes = [perms.CanReview]

    @extend_schema(request=s.TransitionSerializer, responses={200: s.ContractDetailSerializer, 400: E, 409: E, **ERR},
                   tags=["reviews"])
    def post(self, request, pk: int):
        contract = contract_or_403(request, pk)
        inp = s.TransitionSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        try:
            services.contract_transition(contract_id=contract.pk, to_status=inp.validated_data["to_status"],
                                         actor=request.user, note=inp.validated_data["note"])
        except services.ReviewError as exc:
            raise Conflict(str(exc)) from None
        return Response(s.ContractDetailSerializer(contract_or_403(request, pk)).data)


class ContractAssignView(APIView):
    """Manager: set or clear the legal reviewer and the due date."""

    permission_classes = [perms.CanAssign]

    @extend_schema(request=s.AssignSerializer, responses={200: s.ContractDetailSerializer, 400: E, **ERR},
                   tags=["reviews"])
    def post(self, request, pk: int):
        contract = contract_or_403(request, pk)
        inp = s.AssignSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        try:
            services.contract_assign(contract_id=contract.pk, assignee_id=inp.validated_data["assignee"],
                                     due_date=inp.validated_data["due_date"], actor=request.user)
        except services.ReviewError as exc:
            raise ValidationError({"assignee": [str(exc)]}) from None
        return Response(s.ContractDetailSerializer(contract_or_403(request, pk)).data)


class ContractCommentsView(generics.GenericAPIView):
    """Comments on the review, oldest first; anyone who may see the contract may comment."""

    permission_classes = [perms.AnyRole]
    serializer_class = s.CommentSerializer

    @extend_schema(responses={200: s.CommentSerializer(many=True), **ERR}, tags=["reviews"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        page = self.paginate_queryset(contract.comments.select_related("author").order_by("created_at", "id"))
        return self.get_paginated_response(s.CommentSerializer(page, many=True).data)

    @extend_schema(request=s.CommentSerializer, responses={201: s.CommentSerializer, 400: E, **ERR},
                   tags=["reviews"])
    def post(self, request, pk: int):
        contract = contract_or_403(request, pk, policy.can_comment)
        inp = s.CommentSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        try:
            comment = services.comment_create(contract_id=contract.pk, author=request.user,
                                              body=inp.validated_data["body"])
        except services.ReviewError as exc:
            raise ValidationError({"body": [str(exc)]}) from None
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ContractHistoryView(generics.GenericAPIView):
    """The contract's full history from its audit rows, oldest first."""

    permission_classes = [perms.AnyRole]
    serializer_class = s.AuditEventSerializer

    @extend_schema(responses={200: s.AuditEventSerializer(many=True), **ERR}, tags=["reviews"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        page = self.paginate_queryset(selectors.contract_history(contract_id=contract.pk))
        return self.get_paginated_response(s.AuditEventSerializer(page, many=True).data)

