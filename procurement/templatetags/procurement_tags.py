"""Template helpers of the review pages: role checks for navigation, labels, durations."""
from django import template

from procurement import permissions
from procurement.statuses import ContractStatus, Decision

register = template.Library()


@register.filter
def has_role(user, roles: str) -> bool:
    """`{% if user|has_role:"legal,manager" %}` — True for superusers and members of any listed role."""
    return permissions.has_role(user, *[r.strip() for r in roles.split(",")])


@register.filter
def status_label(value: str) -> str:
    """Human label of a contract status value ("needs_review" → "Needs review")."""
    try:
        return ContractStatus(value).label
    except ValueError:
        return value or ""


@register.filter
def decision_label(value: str) -> str:
    try:
        return Decision(value).label
    except ValueError:
        return value or ""


@register.filter
def hours(value) -> str:
    """Format a number of hours as "25 min", "3.5 h" or "2.1 days"."""
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 60:.0f} min"
    return f"{value / 24:.1f} days" if value >= 48 else f"{value:.1f} h"
