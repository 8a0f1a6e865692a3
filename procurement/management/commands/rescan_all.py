"""`python manage.py rescan_all [--only-outdated] [--include-closed]`: rescan every contract's current
version with the current checker (after a catalogue or pattern change). Scans are queued on commit: on the
embedded default they run in this process; with a broker the workers pick them up."""
from django.core.management.base import BaseCommand

from procurement import services


class Command(BaseCommand):
    help = "Rescan contracts with the current checker version (decisions carry over where findings are unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("--only-outdated", action="store_true",
                            help="only contracts whose current scan used another checker version")
        parser.add_argument("--include-closed", action="store_true",
                            help="also approved/rejected contracts (their review reopens)")

    def handle(self, *args, only_outdated=False, include_closed=False, **options):
        counts = services.scans_rescan_all(only_outdated=only_outdated, include_closed=include_closed)
        self.stdout.write(f"checker {services.current_checker_version()}: "
                          f"{counts['rescanned']} rescanned, {counts['skipped']} skipped")
