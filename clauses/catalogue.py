"""The topic catalogue as data (pure: no ORM), read from `clauses/data/topics.json`.

The file mirrors `shared/spec/topics.md` (catalogue v1): 31 topic ids, verbatim, in catalogue order, with
group, title, favourable and conflicting positions, the per-profile R/O/- table and a default severity.
Both halves of the product read it from here: the loader that fills the database and the checker.
"""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "topics.json"
PROFILES = ("model_license", "hosted_service", "dpa", "sow")
REQUIREMENT_CODES = {"R": "required", "O": "optional", "-": "not_applicable"}
SEVERITIES = ("high", "medium", "low", "info")


@dataclass(frozen=True)
class TopicSpec:
    """One catalogue topic. `profiles` maps profile name to "R", "O" or "-"."""

    id: str
    group: str
    title: str
    favourable: str
    conflicting: str
    profiles: dict
    default_severity: str
    order: int

    def requirement(self, profile: str) -> str:
        """Return "R", "O" or "-" for `profile`; raise KeyError for an unknown profile."""
        return self.profiles[profile]


@cache
def load_catalogue_data() -> dict:
    """Return the parsed catalogue file (dict with groups, profiles, playbook, topics).

    Raises ValueError naming the problem when the file breaks the catalogue's invariants.
    """
    data = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    ids = [t["id"] for t in data["topics"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{CATALOGUE_PATH}: duplicate topic ids")
    for t in data["topics"]:
        if set(t["profiles"]) != set(PROFILES):
            raise ValueError(f"{CATALOGUE_PATH}: topic {t['id']} must give all profiles {PROFILES}")
        if any(v not in REQUIREMENT_CODES for v in t["profiles"].values()):
            raise ValueError(f"{CATALOGUE_PATH}: topic {t['id']} has a profile code outside R/O/-")
        if t["default_severity"] not in SEVERITIES:
            raise ValueError(f"{CATALOGUE_PATH}: topic {t['id']} has unknown severity {t['default_severity']!r}")
    return data


@cache
def topics() -> tuple[TopicSpec, ...]:
    """Return every topic in catalogue order."""
    return tuple(TopicSpec(**t) for t in load_catalogue_data()["topics"])


@cache
def topic_ids() -> tuple[str, ...]:
    """Return the topic ids in catalogue order."""
    return tuple(t.id for t in topics())


def topic(topic_id: str) -> TopicSpec:
    """Return one topic; raise KeyError naming the unknown id."""
    for t in topics():
        if t.id == topic_id:
            return t
    raise KeyError(f"unknown topic id {topic_id!r}")


def groups() -> list[dict]:
    """Return the topic groups as [{"id", "title"}] in catalogue order."""
    return list(load_catalogue_data()["groups"])


def default_playbook() -> dict:
    """Return the playbook parameter defaults of topics.md (max_retention_days, ...)."""
    return dict(load_catalogue_data()["playbook"])
