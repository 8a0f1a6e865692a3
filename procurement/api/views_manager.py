"""Manager and export endpoints of the procurement API: the dashboard's figures, data deletion, and the
same export files as the pages (findings CSV, vendor letter .docx, false positives JSONL).

Split from views.py (size); same rules: one permission from procurement/permissions.py, one service or
selector, refusals as 409.
"""
import json

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from procurement import exports, selectors
from procurement.api import permissions as perms
from procurement.api.errors import Conflict
from procurement.api.views import ERR, E, contract_or_403
from procurement.statuses import Decision


class DataDeleteSerializer(serializers.Serializer):
    confirm = serializers.ChoiceField(choices=["delete"], help_text='Must be "delete".')


class ContractDataDeleteView(APIView):
    """Manager: delete the contract's files and extracted text now (procurement/retention.py); findings,
    reports, decisions, comments and history are kept. 409 while a scan is running."""

    permission_classes = [perms.CanDeleteData]

    @extend_schema(request=DataDeleteSerializer,
                   responses={200: inline_serializer("DataDeleted", fields={
                       "versions": serializers.IntegerField(), "files": serializers.IntegerField()}),
                       400: E, 409: E, **ERR}, tags=["contracts"])
    def post(self, request, pk: int):
        from procurement import retention

        contract = contract_or_403(request, pk)
        DataDeleteSerializer(data=request.data).is_valid(raise_exception=True)
        try:
            counts = retention.contract_data_delete(contract_id=contract.pk, actor=request.user)
        except retention.DataDeleteRefused as exc:
            raise Conflict(str(exc)) from None
        return Response({"versions": counts.get("versions", 0), "files": counts.get("files", 0)})


# --- exports and dashboard (the same files and figures as the pages) -----------------------------------------

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ContractExportCsvView(APIView):
    """The current findings with decisions and our library wording, as CSV."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, **ERR}, tags=["findings"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        body = exports.findings_csv(selectors.findings_for_export(contract=contract))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(contract, "csv")}"'
        return response


class ContractExportLetterView(APIView):
    """A letter to the vendor (.docx) listing the changes requested, with our clause wording."""

    permission_classes = [perms.AnyRole]

    @extend_schema(responses={(200, DOCX_MIME): OpenApiTypes.BINARY, **ERR}, tags=["findings"])
    def get(self, request, pk: int):
        contract = contract_or_403(request, pk)
        findings = selectors.findings_for_export(contract=contract, decisions=[Decision.CHANGE_REQUESTED])
        data = exports.vendor_letter_docx(contract=contract, findings=findings,
                                          sender=request.user.get_full_name() or request.user.username)
        response = HttpResponse(data, content_type=DOCX_MIME)
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(contract, "letter")}"'
        return response


class FalsePositivesView(APIView):
    """Legal/manager: every false-positive decision as JSON lines (data for improving the checker)."""

    permission_classes = [perms.CanExportFalsePositives]

    @extend_schema(responses={(200, "application/x-ndjson"): OpenApiTypes.STR, 401: E, 403: E},
                   tags=["findings"])
    def get(self, request):
        lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in selectors.false_positive_rows())
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="false-positives.jsonl"'
        return response


class DashboardView(APIView):
    """Manager: the dashboard's figures (counts by status, overdue, open high findings, average hours in
    review, per vendor and per reviewer), from selectors.dashboard_stats."""

    permission_classes = [perms.CanViewDashboard]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 401: E, 403: E}, tags=["contracts"])
    def get(self, request):
        stats = selectors.dashboard_stats()
        stats.pop("chart", None)  # SVG geometry for the page
        stats["by_status"] = [{"status": v, "label": str(label), "count": n} for v, label, n in stats["by_status"]]
        return Response(stats)
