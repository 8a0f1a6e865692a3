"""Procurement pages (uploads, reports, reviews, dashboard)."""
from django.urls import path

from procurement import views

app_name = "procurement"
urlpatterns = [
    path("", views.home, name="home"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/upload/", views.contract_upload, name="contract_upload"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/status.json", views.contract_status, name="contract_status"),
    path("contracts/<int:pk>/versions/", views.contract_version_upload, name="contract_version_upload"),
    path("contracts/<int:pk>/versions/<int:version>/file", views.contract_file, name="contract_file"),
    path("contracts/<int:pk>/scans/<int:scan_id>/report.json", views.scan_report_json, name="scan_report_json"),
    path("contracts/<int:pk>/transition/", views.contract_transition, name="contract_transition"),
    path("contracts/<int:pk>/assign/", views.contract_assign, name="contract_assign"),
    path("contracts/<int:pk>/comments/", views.contract_comment, name="contract_comment"),
    path("contracts/<int:pk>/retry/", views.contract_retry, name="contract_retry"),
    path("contracts/<int:pk>/rescan/", views.contract_rescan, name="contract_rescan"),
    path("contracts/<int:pk>/delete-data/", views.contract_data_delete, name="contract_data_delete"),
    path("contracts/<int:pk>/history/", views.contract_history, name="contract_history"),
    path("contracts/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("contracts/<int:pk>/letter.docx", views.export_letter, name="export_letter"),
    path("findings/<int:pk>/decide/", views.finding_decide, name="finding_decide"),
    path("false-positives.jsonl", views.false_positives_jsonl, name="false_positives_jsonl"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
