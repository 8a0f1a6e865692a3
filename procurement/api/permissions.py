"""DRF permission classes over procurement/permissions.py: the API refuses exactly what the pages refuse.

Anonymous requests get 401 (TokenAuthentication comes first, so DRF answers with
``WWW-Authenticate: Token``); signed-in users whose role may not act get 403. Object checks reuse
`can_view_contract` and friends, so a procurement user outside the uploader's team gets 403 on a
contract, as on its page.
"""
from rest_framework.permissions import BasePermission

from procurement import permissions as policy
from procurement.roles import LEGAL, MANAGER, PROCUREMENT


class _Check(BasePermission):
    """Authenticated, then `check(user)`."""

    message = "Your role may not do this."

    def check(self, user) -> bool:  # pragma: no cover — overridden
        raise NotImplementedError

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and self.check(user))


class AnyRole(_Check):
    """Legal, procurement or manager (or superuser): the users who work with contracts."""

    message = "Your account has no role (legal, procurement or manager); ask an administrator."

    def check(self, user):
        return policy.has_role(user, LEGAL, PROCUREMENT, MANAGER)


class CanUpload(_Check):
    message = "Only procurement users upload vendor contracts."

    def check(self, user):
        return policy.can_upload(user)


class CanReview(_Check):
    message = "Only legal users decide findings and move reviews."

    def check(self, user):
        return policy.can_review(user)


class CanAssign(_Check):
    message = "Only managers assign reviewers."

    def check(self, user):
        return policy.can_assign(user)


class CanRescan(_Check):
    message = "Only legal and manager users start a rescan."

    def check(self, user):
        return policy.can_rescan(user)


class CanDeleteData(_Check):
    message = "Only managers delete a contract's documents."

    def check(self, user):
        return policy.can_delete_contract_data(user)


class CanExportFalsePositives(_Check):
    message = "Only legal and manager users export false-positive decisions."

    def check(self, user):
        return policy.can_export_false_positives(user)


class CanViewDashboard(_Check):
    message = "Only managers see the dashboard."

    def check(self, user):
        return policy.can_view_dashboard(user)
