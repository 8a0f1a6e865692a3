"""Clause library and generator pages (mounted at /clauses/)."""
from django.urls import path

from clauses import views

app_name = "clauses"
urlpatterns = [
    path("generate/", views.generator, name="generator"),
    path("generate/download/", views.generate, name="generate"),
    path("drafts/<int:pk>/download/", views.draft_download, name="draft_download"),
]
