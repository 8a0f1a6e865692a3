"""Who may see and do what (README "Roles and permissions" is the same matrix in prose).

Roles are the groups of procurement/roles.py; superusers may do everything. A **team** is any Django group
whose name starts with `team:` (e.g. `team:data-platform`): a procurement user sees the contracts they
created plus those created by anyone sharing one of their team groups. Legal and managers see every
contract. Views turn a False here into a 403 (never a hidden button only).
"""
from django.db.models import Q

from procurement.roles import LEGAL, MANAGER, PROCUREMENT

TEAM_PREFIX = "team:"


def _group_names(user) -> frozenset[str]:
    """Return the user's group names, cached on the user object for the request."""
    cached = getattr(user, "_procurement_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
        user._procurement_groups = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """Return True for an active superuser or a member of any of `roles` (cached per request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_group_names(user) & set(roles))


def team_names(user) -> frozenset[str]:
    """Return the `team:*` group names of the user."""
    return frozenset(g for g in _group_names(user) if g.startswith(TEAM_PREFIX))


def sees_all_contracts(user) -> bool:
    return has_role(user, LEGAL, MANAGER)


def contract_visibility_q(user) -> Q | None:
    """Return a filter limiting Contract rows to the user's, or None when the user sees all.

    Users with no role get a filter that matches nothing.
    """
    if sees_all_contracts(user):
        return None
    if not has_role(user, PROCUREMENT):
        return Q(pk__in=[])
    q = Q(created_by=user)
    teams = team_names(user)
    if teams:
        q |= Q(created_by__groups__name__in=teams)
    return q


def can_view_contract(user, contract) -> bool:
    """Legal/manager: every contract; procurement: own and team contracts."""
    if sees_all_contracts(user):
        return True
    if not has_role(user, PROCUREMENT):
        return False
    if contract.created_by_id == user.pk:
        return True
    teams = team_names(user)
    return bool(teams) and contract.created_by.groups.filter(name__in=teams).exists()


def can_upload(user) -> bool:
    return has_role(user, PROCUREMENT)


def can_upload_version(user, contract) -> bool:
    return has_role(user, PROCUREMENT) and can_view_contract(user, contract)


def can_review(user) -> bool:
    """Decide findings, move the review status (start, request changes, approve, reject)."""
    return has_role(user, LEGAL)


def can_assign(user) -> bool:
    return has_role(user, MANAGER)


def can_comment(user, contract) -> bool:
    return can_view_contract(user, contract)


def can_retry_scan(user, contract) -> bool:
    return can_view_contract(user, contract)


def can_rescan(user) -> bool:
    return has_role(user, LEGAL, MANAGER)


def can_delete_contract_data(user) -> bool:
    """Delete a contract's files and extracted text on request (procurement/retention.py): managers."""
    return has_role(user, MANAGER)


def can_view_dashboard(user) -> bool:
    return has_role(user, MANAGER)


def can_export_false_positives(user) -> bool:
    return has_role(user, LEGAL, MANAGER)
