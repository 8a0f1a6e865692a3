"""The three user roles, as Django groups.

- `legal`: reviews findings, decides them, approves or rejects contracts, drafts SOW/DPA, edits clauses.
- `procurement`: uploads vendor contracts and follows its own.
- `manager`: sees everything, assigns reviewers, dashboard.
Superusers can do everything.
"""
from django.contrib.auth.models import Group

LEGAL = "legal"
PROCUREMENT = "procurement"
MANAGER = "manager"
ROLES = (LEGAL, PROCUREMENT, MANAGER)


def roles_ensure() -> list[Group]:
    """Create the role groups if absent; idempotent. Return them in ROLES order."""
    return [Group.objects.get_or_create(name=name)[0] for name in ROLES]


def user_has_role(user, *roles: str) -> bool:
    """Return True if `user` is active and a superuser or a member of any of `roles`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=roles).exists()
