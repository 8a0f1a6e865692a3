"""`python manage.py reap_stale_scans`: the scan reaper (procurement/reliability.py) from the command line
or cron — requeue scans of dead workers (bounded by SCAN_MAX_ATTEMPTS, then failed) and republish scans
still queued after the staleness window (lost message, broker outage)."""
from datetime import timedelta

from django.core.management.base import BaseCommand

from procurement.reliability import scans_reap_stale


class Command(BaseCommand):
    help = "Requeue or fail scans stuck in running; republish scans stuck in queued."

    def add_arguments(self, parser):
        parser.add_argument("--stale-after", type=int, default=None, metavar="SECONDS",
                            help="staleness window (default SCAN_STALE_AFTER_SECONDS)")
        parser.add_argument("--max-attempts", type=int, default=None, help="default SCAN_MAX_ATTEMPTS")

    def handle(self, *args, stale_after=None, max_attempts=None, **options):
        counts = scans_reap_stale(stale_after=None if stale_after is None else timedelta(seconds=stale_after),
                                  max_attempts=max_attempts)
        self.stdout.write(f"requeued {counts['requeued']}, failed {counts['failed']}, "
                          f"republished {counts['republished']}")
