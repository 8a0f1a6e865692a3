"""The whole contract transition graph, table-driven, through the one service that changes statuses."""
import itertools

import pytest

from procurement import services
from procurement.models import AuditEvent, Contract, Vendor
from procurement.statuses import ALLOWED_TRANSITIONS, ContractStatus

ALL = list(ContractStatus.values)
PAIRS = list(itertools.product(ALL, ALL))
EXPECTED_ALLOWED = {
    ("uploaded", "scanning"),
    ("scanning", "needs_review"), ("scanning", "scan_failed"), ("scanning", "scanning"),
    ("scan_failed", "scanning"),
    ("needs_review", "in_review"), ("needs_review", "scanning"),
    ("in_review", "changes_requested"), ("in_review", "approved"), ("in_review", "rejected"),
    ("in_review", "scanning"),
    ("changes_requested", "in_review"), ("changes_requested", "scanning"),
    ("approved", "scanning"), ("rejected", "scanning"),
}


def test_allowed_transitions_data_is_the_documented_graph():
    actual = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert actual == EXPECTED_ALLOWED
    assert set(ALLOWED_TRANSITIONS) == set(ALL)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_transition_service_follows_the_graph(users, from_status, to_status):
    vendor = Vendor.objects.create(name="Graph Vendor")
    contract = Contract.objects.create(vendor=vendor, title="t", status=from_status, created_by=users.procurement)
    if (from_status, to_status) in EXPECTED_ALLOWED:
        services.contract_transition(contract_id=contract.pk, to_status=to_status, actor=users.legal, note="n")
        contract.refresh_from_db()
        assert contract.status == to_status
        event = AuditEvent.objects.get(contract=contract)
        assert (event.from_status, event.to_status, event.actor, event.note) == (from_status, to_status, users.legal, "n")
    else:
        with pytest.raises(services.TransitionError) as exc:
            services.contract_transition(contract_id=contract.pk, to_status=to_status, actor=users.legal)
        assert f"from '{from_status}' to '{to_status}'" in str(exc.value)
        contract.refresh_from_db()
        assert contract.status == from_status
        assert not AuditEvent.objects.filter(contract=contract).exists()


@pytest.mark.django_db
def test_rejects_transition_from_final_state_except_back_to_scanning(users):
    vendor = Vendor.objects.create(name="V")
    contract = Contract.objects.create(vendor=vendor, title="t", status="approved", created_by=users.procurement)
    with pytest.raises(services.TransitionError, match="from 'approved' to 'in_review'.*scanning"):
        services.contract_transition(contract_id=contract.pk, to_status="in_review", actor=users.legal)


@pytest.mark.django_db
def test_review_timestamps_are_set_for_time_in_review(users):
    vendor = Vendor.objects.create(name="V")
    contract = Contract.objects.create(vendor=vendor, title="t", status="needs_review", created_by=users.procurement)
    services.contract_transition(contract_id=contract.pk, to_status="in_review", actor=users.legal)
    services.contract_transition(contract_id=contract.pk, to_status="rejected", actor=users.legal)
    contract.refresh_from_db()
    assert contract.review_started_at is not None and contract.closed_at >= contract.review_started_at
    services.contract_transition(contract_id=contract.pk, to_status="scanning", actor=users.procurement)
    contract.refresh_from_db()
    assert contract.closed_at is None
