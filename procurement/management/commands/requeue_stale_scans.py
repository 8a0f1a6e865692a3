"""`python manage.py requeue_stale_scans`: re-enqueue scans stuck in running/queued past the hard time
limit (a killed worker, a lost message; KNOWN-FAILURES "Celery on Redis"). Run it from cron or beat."""
from django.core.management.base import BaseCommand

from procurement import services


class Command(BaseCommand):
    help = "Re-enqueue scans stuck past the time limit."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.scans_requeue_stale()} scan(s) re-enqueued")
