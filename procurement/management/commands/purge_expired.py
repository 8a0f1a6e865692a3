"""`python manage.py purge_expired`: delete uploaded files and extracted text of contracts whose review
closed (approved/rejected) more than RETENTION_DAYS_AFTER_CLOSE days ago (procurement/retention.py).
Findings, reports, decisions and the audit trail are kept. Safe to run again (already purged = skipped)."""
from django.core.management.base import BaseCommand

from procurement.retention import documents_purge_expired, retention_days


class Command(BaseCommand):
    help = "Delete documents (files + extracted text) of reviews closed longer than the retention window."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"retention window in days (default RETENTION_DAYS_AFTER_CLOSE = {retention_days()})")

    def handle(self, *args, days=None, **options):
        totals = documents_purge_expired(days=days)
        self.stdout.write(f"purged {totals['contracts']} contract(s): {totals['files']} file(s) deleted, "
                          f"{totals['versions']} version(s) blanked")
