import pytest

from clauses import catalogue
from clauses.models import Topic
from clauses.services import catalogue_load


def test_catalogue_has_the_31_spec_topics_in_order():
    ids = catalogue.topic_ids()
    assert len(ids) == 31
    assert ids[0] == "derivatives.ownership"
    assert ids[-1] == "liability.customer_indemnity"
    assert catalogue.topic("input.no_training").profiles == {
        "model_license": "-", "hosted_service": "R", "dpa": "R", "sow": "R"}
    assert catalogue.topic("compliance.governing_law").profiles["dpa"] == "O"


def test_unknown_topic_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="input.nope"):
        catalogue.topic("input.nope")


@pytest.mark.django_db
def test_catalogue_load_is_idempotent():
    first = catalogue_load()
    assert first == {"created": 31, "updated": 0, "unchanged": 0,
                     "clauses": {"created": 67, "new_versions": 0, "unchanged": 0}}
    second = catalogue_load()
    assert second == {"created": 0, "updated": 0, "unchanged": 31,
                      "clauses": {"created": 0, "new_versions": 0, "unchanged": 67}}
    Topic.objects.filter(pk="license.user_cap").update(title="changed")
    assert catalogue_load()["updated"] == 1
    assert Topic.objects.get(pk="license.user_cap").title == "User and revenue caps"
    assert list(Topic.objects.values_list("id", flat=True)) == list(catalogue.topic_ids())
