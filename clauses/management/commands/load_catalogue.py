"""`python manage.py load_catalogue`: load the topic catalogue and the clause library idempotently."""
from django.core.management.base import BaseCommand

from clauses.services import catalogue_load


class Command(BaseCommand):
    help = "Load the topic catalogue and clause library from clauses/data into the database (safe to run again)."

    def handle(self, *args, **options):
        counts = catalogue_load()
        self.stdout.write(
            f"topics: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
        )
        c = counts["clauses"]
        self.stdout.write(
            f"clauses: {c['created']} created, {c['new_versions']} new approved versions from changed data files, "
            f"{c['unchanged']} unchanged"
        )
