"""Reads for the clause library and generator."""
import re

from clauses import assembly, catalogue, library
from clauses.answers import EXAMPLE_ANSWERS, SCHEMA
from clauses.models import ClauseVersion, Draft

# Wording shown outside a generated document (report page, vendor letter, CSV) is rendered with the
# playbook's limits for the numeric terms and a bracketed blank only for what is specific to a deal
# (parties, governing law, location, cap). Answer name -> playbook key (settings.PLAYBOOK, topics.md).
PLAYBOOK_VARIABLES = {"retention_days": "max_retention_days", "breach_notice_hours": "max_breach_notice_hours",
                      "price_change_notice_days": "min_price_change_notice_days",
                      "change_notice_days": "min_change_notice_days"}
# Numbers the playbook does not set: the spec's example answers (shared/spec/answers.md), e.g. 60 days'
# notice of a change.
DISPLAY_DEFAULTS = {k: v for k, v in EXAMPLE_ANSWERS.items() if isinstance(v, int) and not isinstance(v, bool)}
# Conditions in the wording are shown in their fullest form: an engagement with fine-tuning and with
# weights delivered, processing personal data, so a vendor sees every obligation the clause can carry.
DISPLAY_ENGAGEMENT = {"deployment": "hybrid", "fine_tuning": True}
_PLACEHOLDER = re.compile(r"{{\s*([\w.]+)\s*}}")
_TAG = re.compile(r"{%.*?%}")


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


def _blank(path: str) -> str:
    return "[" + path.replace(".", " ").replace("_", " ") + "]"


def _display_value(spec, path: str, playbook: dict):
    if isinstance(spec, dict):
        return {k: _display_value(sub, f"{path}.{k}" if path else k, playbook) for k, sub in spec.items()}
    kind = spec[0] if isinstance(spec, tuple) else spec
    if kind == "int":
        value = playbook.get(PLAYBOOK_VARIABLES.get(path, ""))
        return value if isinstance(value, int) and not isinstance(value, bool) else DISPLAY_DEFAULTS.get(path, _blank(path))
    if kind == "bool":
        return True
    if kind == "list":
        return []
    if kind == "positions":
        return {}
    if kind == "choice":
        return DISPLAY_ENGAGEMENT.get(path.rsplit(".", 1)[-1], spec[1][0])
    return _blank(path)


def display_context(playbook: dict) -> dict:
    """Return the names clause wording may use, filled for display outside a document.

    Numbers come from `playbook` over the catalogue's defaults (keys of settings.PLAYBOOK:
    max_retention_days -> retention_days 30,
    max_breach_notice_hours -> breach_notice_hours 72, min_price_change_notice_days ->
    price_change_notice_days 90; optional min_change_notice_days), else from the spec's example answers
    (change_notice_days 60). Governing law is the accepted one when the playbook accepts exactly one.
    Every other text is a bracketed blank such as "[customer name]". Pure.
    """
    playbook = {**catalogue.default_playbook(), **playbook}
    ctx = _display_value(SCHEMA, "", playbook)
    ctx["engagement"].update(DISPLAY_ENGAGEMENT)
    laws = list(playbook.get("accepted_governing_laws") or ())
    if len(laws) == 1:
        ctx["governing_law"] = laws[0]
    ctx["document_name"] = "Agreement"
    ctx["effective_date_text"] = _blank("effective_date")
    return ctx


def clause_text_display(text: str, *, playbook: dict | None = None) -> str:
    """Return clause `text` (a version's Jinja wording) rendered for display: conditions resolved,
    playbook numbers filled in, deal-specific values as bracketed blanks (see `display_context`).

    `playbook` defaults to settings.PLAYBOOK (else the catalogue's defaults). Never raises: wording that
    cannot be rendered (an unapproved edit with a syntax error) shows its placeholders as blanks and
    drops its tags.
    """
    if playbook is None:
        from django.conf import settings

        playbook = getattr(settings, "PLAYBOOK", None) or catalogue.default_playbook()
    ctx = display_context(playbook)
    try:
        return library.render_text(text, ctx)
    except Exception:  # noqa: BLE001 - display must not fail on bad wording; generation reports it
        def value(match):
            node = ctx
            for part in match.group(1).split("."):
                node = node.get(part, _blank(match.group(1))) if isinstance(node, dict) else _blank(match.group(1))
            return str(node)
        return _TAG.sub("", _PLACEHOLDER.sub(value, text))
