"""`python manage.py scan_queue_health [--max-queued-age SECONDS]`: print queue counts and ages; exit 1 when
the oldest queued scan waits longer than the limit (broker down, or workers alive but not consuming —
KNOWN-FAILURES "Celery on Redis", celery #8082). For a monitoring cron job or a container health check."""
import sys

from django.core.management.base import BaseCommand

from procurement.reliability import scan_queue_health


class Command(BaseCommand):
    help = "Report the scan queue; exit 1 when a queued scan is older than --max-queued-age seconds."

    def add_arguments(self, parser):
        parser.add_argument("--max-queued-age", type=int, default=900, metavar="SECONDS")

    def handle(self, *args, max_queued_age=900, **options):
        h = scan_queue_health()
        age = h["oldest_queued_seconds"]
        self.stdout.write(f"queued {h['queued']} (oldest {age:.0f} s), running {h['running']}" if age is not None
                          else f"queued 0, running {h['running']}")
        if age is not None and age > max_queued_age:
            self.stderr.write(f"unhealthy: a scan has waited {age:.0f} s (limit {max_queued_age} s); check that "
                              "Redis is up and that workers consume (restart them)")
            sys.exit(1)
