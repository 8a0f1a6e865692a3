"""Routes of the procurement API, mounted under /api/v1/ by config/urls.py (namespace "api")."""
from django.urls import path

import config.converters  # noqa: F401 — registers the "id" path converter
from procurement.api import views, views_manager

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("vendors/", views.VendorListView.as_view(), name="vendor-list"),
    path("contracts/", views.ContractListView.as_view(), name="contract-list"),
    path("contracts/<id:pk>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("contracts/<id:pk>/versions/", views.ContractVersionsView.as_view(), name="contract-versions"),
    path("contracts/<id:pk>/versions/<id:number>/file/", views.ContractVersionFileView.as_view(),
         name="contract-version-file"),
    path("contracts/<id:pk>/versions/<id:number>/text/", views.ContractVersionTextView.as_view(),
         name="contract-version-text"),
    path("contracts/<id:pk>/scans/", views.ContractScansView.as_view(), name="contract-scans"),
    path("contracts/<id:pk>/rescan/", views.ContractRescanView.as_view(), name="contract-rescan"),
    path("contracts/<id:pk>/retry/", views.ContractRetryView.as_view(), name="contract-retry"),
    path("contracts/<id:pk>/findings/", views.ContractFindingsView.as_view(), name="contract-findings"),
    path("contracts/<id:pk>/transition/", views.ContractTransitionView.as_view(), name="contract-transition"),
    path("contracts/<id:pk>/assign/", views.ContractAssignView.as_view(), name="contract-assign"),
    path("contracts/<id:pk>/comments/", views.ContractCommentsView.as_view(), name="contract-comments"),
    path("contracts/<id:pk>/delete-data/", views_manager.ContractDataDeleteView.as_view(), name="contract-data-delete"),
    path("contracts/<id:pk>/history/", views.ContractHistoryView.as_view(), name="contract-history"),
    path("contracts/<id:pk>/export.csv", views_manager.ContractExportCsvView.as_view(), name="contract-export-csv"),
    path("contracts/<id:pk>/letter.docx", views_manager.ContractExportLetterView.as_view(), name="contract-export-letter"),
    path("false-positives.jsonl", views_manager.FalsePositivesView.as_view(), name="false-positives"),
    path("dashboard/", views_manager.DashboardView.as_view(), name="dashboard"),
    path("scans/<id:scan_id>/", views.ScanDetailView.as_view(), name="scan-detail"),
    path("scans/<id:scan_id>/report/", views.ScanReportView.as_view(), name="scan-report"),
    path("findings/<id:pk>/", views.FindingDetailView.as_view(), name="finding-detail"),
    path("findings/<id:pk>/decision/", views.FindingDecisionView.as_view(), name="finding-decision"),
]
