"""The Celery application. Settings come from Django settings under the `CELERY_` namespace.

With no `CELERY_BROKER_URL`, `task_always_eager` is on and tasks run in-process (embedded default).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("procurement_contracts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
