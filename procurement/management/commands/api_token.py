"""`python manage.py api_token USERNAME [--rotate]`: print a user's REST API token, creating it if absent.

Tokens are DRF authtokens (one per user). An administrator revokes one in the Django admin
(Auth Token → Tokens → delete) or replaces it with `--rotate`; the old key stops working at once.
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print USERNAME's API token (created if absent); --rotate replaces it with a new one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="delete the current token and issue a new one")

    def handle(self, *args, username: str, rotate: bool = False, **options):
        """Print the token; CommandError (one line, no traceback) for an unknown/inactive user or a
        database without tables."""
        try:
            user = get_user_model().objects.filter(username=username).first()
        except DatabaseError as exc:
            raise CommandError(f"The database has no user tables ({str(exc).splitlines()[0]}): run "
                               "`python manage.py migrate` first (and check DATABASE_URL names the server's "
                               "database).") from None
        if user is None:
            raise CommandError(f"No user named {username!r}; create it first (createsuperuser or the admin).")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate it in the admin before issuing a token.")
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
        if created:
            self.stderr.write(f"{'rotated' if rotate else 'created'} token for {username}")
        self.stdout.write(token.key)
