"""Routes of the clause library API, mounted under /api/v1/ by config/urls.py (namespace "api")."""
from django.urls import path

import config.converters  # noqa: F401 — registers the "id" path converter
from clauses.api import views

urlpatterns = [
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<topic:topic_id>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("clauses/", views.ClauseListView.as_view(), name="clause-list"),
    path("clauses/<id:pk>/", views.ClauseDetailView.as_view(), name="clause-detail"),
    path("clauses/<id:pk>/versions/", views.ClauseVersionListView.as_view(), name="clause-versions"),
    path("clause-versions/<id:pk>/", views.ClauseVersionDetailView.as_view(), name="clause-version-detail"),
    path("clause-versions/<id:pk>/new-draft/", views.ClauseVersionNewDraftView.as_view(),
         name="clause-version-new-draft"),
    path("clause-versions/<id:pk>/approve/", views.ClauseVersionApproveView.as_view(), name="clause-version-approve"),
    path("drafts/", views.DraftListView.as_view(), name="draft-list"),
    path("drafts/<id:pk>/", views.DraftDetailView.as_view(), name="draft-detail"),
    path("drafts/<id:pk>/download/", views.DraftDownloadView.as_view(), name="draft-download"),
]
