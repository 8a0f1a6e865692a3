"""Reads for the clause library and generator."""
from clauses import assembly
from clauses.models import ClauseVersion, Draft


def clause_positions_approved() -> dict[str, frozenset[str]]:
    """Return {topic id: positions that have at least one approved version}."""
    result: dict[str, set] = {}
    rows = ClauseVersion.objects.filter(status=ClauseVersion.Status.APPROVED).values_list(
        "clause__topic_id", "clause__position").distinct()
    for topic_id, position in rows:
        result.setdefault(topic_id, set()).add(position)
    return {k: frozenset(v) for k, v in result.items()}


def clause_versions_latest_approved() -> dict[tuple[str, str], ClauseVersion]:
    """Return {(topic id, position): latest approved version}; drafts are never returned."""
    latest = {}
    qs = (ClauseVersion.objects.filter(status=ClauseVersion.Status.APPROVED)
          .select_related("clause").order_by("clause_id", "-number"))
    for v in qs:
        latest.setdefault((v.clause.topic_id, v.clause.position), v)
    return latest


def clause_versions_for_document(*, doc_type: str, answers: dict) -> list[ClauseVersion]:
    """Return the approved versions a document uses, in document order, honouring `answers["positions"]`.

    Raises assembly.AssemblyError naming a topic that has no approved wording in the chosen position.
    """
    latest = clause_versions_latest_approved()
    chosen = []
    for tid in assembly.select_topics(doc_type, answers):
        position = answers.get("positions", {}).get(tid, "preferred")
        version = latest.get((tid, position))
        if version is None:
            raise assembly.AssemblyError(f"no approved {position!r} clause for topic {tid}; load the clause library")
        chosen.append(version)
    return chosen


def clause_text(version: ClauseVersion) -> assembly.ClauseText:
    """Return the pure `ClauseText` of a version (what assembly consumes)."""
    return assembly.ClauseText(topic=version.clause.topic_id, position=version.clause.position,
                               title=version.title, text=version.text,
                               defined_terms=tuple(version.defined_terms), version_id=version.pk)


def draft_preview(*, doc_type: str, answers: dict) -> dict:
    """Return what a document would contain for cleaned `answers`: included clauses (variables
    substituted, with version ids) and definitions. Raises assembly.AssemblyError like generation."""
    versions = clause_versions_for_document(doc_type=doc_type, answers=answers)
    resolved = assembly.resolve_clauses(doc_type, answers, [clause_text(v) for v in versions])
    numbers = {v.pk: v.number for v in versions}
    context = assembly.build_context(doc_type, answers, resolved)
    by_topic = {r["topic"]: r for r in resolved}
    for group in context["groups"]:
        for item in group["clauses"]:
            item["position"] = by_topic[item["topic"]]["position"]
            item["version_number"] = numbers[by_topic[item["topic"]]["version_id"]]
    return {"doc_type": doc_type, "title": assembly.DOCUMENT_TITLES[doc_type], "groups": context["groups"],
            "definitions": context["definitions"], "topics": [r["topic"] for r in resolved]}


def draft_list(*, limit: int = 20):
    """Return the most recent drafts with their creators."""
    return Draft.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]
