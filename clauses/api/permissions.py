"""Who may use the clause library API: the roles of the pages, by group name.

`clauses` knows nothing of `procurement`, so the role names are the group names themselves (the same
strings as procurement/roles.py; clauses/views.py and clauses/admin.py do the same).
- Catalogue and clause library (read): any role — legal, procurement, manager — or a superuser.
- New draft wording and approval of clause versions: legal (or superuser), as in the clause admin.
- Drafts (SOW/DPA generation, list, download): legal and manager, as the generator pages
  (clauses.views.can_draft).
"""
from rest_framework.permissions import BasePermission

from clauses.views import can_draft

ROLE_GROUPS = ("legal", "procurement", "manager")
LEGAL_GROUP = "legal"


def _in_groups(user, names) -> bool:
    return bool(user and user.is_authenticated and user.is_active and
                (user.is_superuser or user.groups.filter(name__in=names).exists()))


class LibraryReader(BasePermission):
    message = "Your account has no role (legal, procurement or manager); ask an administrator."

    def has_permission(self, request, view):
        return _in_groups(request.user, ROLE_GROUPS)


class ClauseEditor(BasePermission):
    message = "Only legal users create and approve clause wording."

    def has_permission(self, request, view):
        return _in_groups(request.user, (LEGAL_GROUP,))


class Drafter(BasePermission):
    message = "Drafting SOWs and DPAs is for legal and manager users."

    def has_permission(self, request, view):
        return bool(request.user and can_draft(request.user))
