"""`python manage.py seed_demo`: demo users for the three roles and one demo vendor contract
(development and demos only). The contract (procurement/data/demo_vendor_terms.md, our own text) is
uploaded by the demo procurement user and scanned like any upload; it is created once.

Refuses to run unless DEBUG is on or --force-demo is given, so production never gets known passwords.
"""
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from procurement.roles import LEGAL, MANAGER, PROCUREMENT, roles_ensure

DEMO_CONTRACT = Path(__file__).resolve().parents[2] / "data" / "demo_vendor_terms.md"
DEMO_VENDOR = "Nimbus Text API (demo)"

# Documented in README ("Demo users"). Never created in production.
DEMO_USERS = (
    ("legal", "legal-demo-2026", LEGAL),
    ("procurement", "procurement-demo-2026", PROCUREMENT),
    ("manager", "manager-demo-2026", MANAGER),
)
DEMO_ADMIN = ("admin", "admin-demo-2026")


class Command(BaseCommand):
    help = "Create demo users legal / procurement / manager (and admin) with documented passwords."

    def add_arguments(self, parser):
        parser.add_argument("--force-demo", action="store_true", help="allow outside DEBUG (never in production)")

    def handle(self, *args, force_demo=False, **options):
        if not settings.DEBUG and not force_demo:
            raise CommandError("seed_demo creates users with published passwords; it runs only with DEBUG on.")
        groups = {g.name: g for g in roles_ensure()}
        User = get_user_model()
        for username, password, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.test"})
            if not user.check_password(password):  # a new hash would log the user out of every session
                user.set_password(password)
            user.is_staff = role == LEGAL  # legal edits and approves clauses in the admin
            user.save()
            user.groups.set([groups[role]])
            self.stdout.write(f"{'created' if created else 'updated'} demo user {username} ({role})")
        username, password = DEMO_ADMIN
        admin, created = User.objects.get_or_create(username=username, defaults={"email": "admin@example.test"})
        admin.is_staff = admin.is_superuser = True
        if not admin.check_password(password):
            admin.set_password(password)
        admin.save()
        self.stdout.write(f"{'created' if created else 'updated'} demo superuser {username}")
        self._demo_contract(User)

    def _demo_contract(self, User):
        from procurement import services
        from procurement.models import Contract

        if Contract.objects.filter(vendor__name=DEMO_VENDOR).exists():
            self.stdout.write("demo contract already present")
            return
        result = services.contract_upload(
            vendor_name=DEMO_VENDOR, title="Customer support assistant", profile="auto",
            data=DEMO_CONTRACT.read_bytes(), filename=DEMO_CONTRACT.name, actor=User.objects.get(username="procurement"))
        result.contract.refresh_from_db()
        self.stdout.write(f"demo contract #{result.contract.pk} uploaded ({result.contract.get_status_display()})")
