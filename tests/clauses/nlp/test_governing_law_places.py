"""Governing law is found for every country (ISO 3166) and the provinces chosen as often as countries.

A new user's trial found "the laws of the Cayman Islands" reported as `missing` ("the document says
nothing"): the place list was hand-made. Offshore and smaller jurisdictions are the ones a reviewer most
needs to see, so the list now comes from ISO 3166 (pycountry), with the names people write.
"""
import pytest

from clauses.nlp.check import check_text
from clauses.nlp.values import COUNTRIES, normalise_jurisdictions


def governing_law(text: str) -> tuple[str, str | None]:
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == "compliance.governing_law")
    return row["status"], row["value"]


@pytest.mark.parametrize(("place", "value"), [
    ("the Cayman Islands", "Cayman Islands"), ("Bermuda", "Bermuda"),
    ("the British Virgin Islands", "British Virgin Islands"), ("Jersey", "Jersey"), ("Guernsey", "Guernsey"),
    ("the Isle of Man", "Isle of Man"), ("Panama", "Panama"), ("the Russian Federation", "Russian Federation"),
    ("Russia", "Russian Federation"), ("the Republic of Korea", "South Korea"), ("Taiwan", "Taiwan"),
    ("Liechtenstein", "Liechtenstein"), ("Quebec", "Quebec"), ("Alberta", "Alberta"), ("Queensland", "Queensland"),
    # the hand-written spellings still win
    ("England and Wales", "England and Wales"), ("the People's Republic of China", "China"),
    ("the State of New York", "New York"), ("New Jersey", "New Jersey"),
])
def test_every_country_and_main_provinces_are_read_as_the_governing_law(place, value):
    assert governing_law(f"This Agreement is governed by and construed in accordance with the laws of {place}.") \
        == ("present", value)


def test_a_province_named_with_its_country_reads_as_the_province():
    assert governing_law("The laws of Quebec and the federal laws of Canada applicable there govern this Agreement.") \
        == ("present", "Quebec")
    assert normalise_jurisdictions("Alberta, Canada") == frozenset({"Alberta"})


def test_a_place_without_governing_law_wording_is_not_a_choice_of_law():
    assert governing_law("Our data centres are in Bermuda and Panama.") == ("missing", None)


def test_the_list_covers_iso_3166():
    assert len(set(COUNTRIES.values())) >= 240
