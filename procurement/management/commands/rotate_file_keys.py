"""`python manage.py rotate_file_keys`: re-encrypt every stored file with the first FILE_ENCRYPTION_KEYS key.

Rotation (README, "Security"): prepend the new key to FILE_ENCRYPTION_KEYS everywhere and restart, run
this command until it reports 0 failed, then remove the old key. Safe to run again (idempotent).
"""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from procurement.storage import storage_rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt every file under MEDIA_ROOT with the first key in FILE_ENCRYPTION_KEYS (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")

    def handle(self, *args, dry_run=False, **options):
        try:
            report = storage_rotate_keys(dry_run=dry_run)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        prefix = "would be " if dry_run else ""
        self.stdout.write(
            f"{report.total} files: {prefix}rotated {report.rotated}, {prefix}encrypted {report.encrypted} "
            f"(were plaintext), unchanged {report.unchanged}, failed {len(report.failed)}"
        )
        if report.failed:
            shown = ", ".join(report.failed[:20])
            raise CommandError(
                f"{len(report.failed)} files could not be decrypted with any configured key ({shown}): "
                "add the key they were encrypted with to FILE_ENCRYPTION_KEYS and run again."
            )
