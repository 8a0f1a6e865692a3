"""Writes for the clause library: catalogue and library load, clause versioning, draft generation."""
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clauses import assembly, catalogue, library, selectors
from clauses.answers import validate_answers
from clauses.models import Clause, ClauseVersion, Draft, ImmutableVersionError, Topic


@transaction.atomic
def catalogue_load() -> dict:
    """Create or update every catalogue topic from `clauses/data/topics.json`, then load the clause
    library (`clause_library_load`); idempotent.

    Returns {"created": n, "updated": n, "unchanged": n} for topics plus "clauses": the library counts.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for spec in catalogue.topics():
        fields = {
            "group": spec.group,
            "title": spec.title,
            "favourable": spec.favourable,
            "conflicting": spec.conflicting,
            "profiles": spec.profiles,
            "default_severity": spec.default_severity,
            "order": spec.order,
        }
        row = Topic.objects.filter(pk=spec.id).first()
        if row is None:
            Topic.objects.create(id=spec.id, **fields)
            counts["created"] += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            row.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    counts["clauses"] = clause_library_load()
    return counts


@transaction.atomic
def clause_library_load() -> dict:
    """Load the clause data files (`clauses/data/clauses/*.toml`) as approved versions; idempotent.

    A (topic, position) seen for the first time gets approved version 1, created and approved by the
    system (no user). When the file text of an entry differs from the last version loaded from the files
    (compared by content sha256), a new approved version is added, so the data files stay the source of
    truth for what they contain while versions edited in the admin are kept in the history. Topics must
    already exist (`catalogue_load` runs first). Returns {"created", "new_versions", "unchanged"}.
    """
    counts = {"created": 0, "new_versions": 0, "unchanged": 0}
    now = timezone.now()
    for entry in library.clause_entries():
        clause, _ = Clause.objects.get_or_create(topic_id=entry.topic, position=entry.position)
        last = clause.versions.filter(source=ClauseVersion.Source.DATA_FILE).order_by("-number").first()
        if last is not None and last.data_sha256 == entry.sha256:
            counts["unchanged"] += 1
            continue
        number = (clause.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        ClauseVersion.objects.create(
            clause=clause, number=number, status=ClauseVersion.Status.APPROVED, title=entry.title,
            text=entry.text, variables=list(entry.variables), defined_terms=list(entry.defined_terms),
            source=ClauseVersion.Source.DATA_FILE, data_sha256=entry.sha256, approved_at=now,
        )
        counts["created" if number == 1 else "new_versions"] += 1
    return counts


def _checked_fields(title: str, text: str, defined_terms) -> dict:
    """Return normalised version fields or raise ValidationError listing the wording's problems."""
    text = text.strip()
    terms = sorted(library.terms_used(text), key=str.casefold) if defined_terms is None else list(defined_terms)
    problems = [] if title.strip() else ["title must not be empty"]
    problems += library.check_clause_text(text, terms)
    if problems:
        raise ValidationError(problems)
    return {"title": title.strip(), "text": text, "defined_terms": terms,
            "variables": sorted(library.template_variables(text))}


@transaction.atomic
def clause_version_create_draft(*, clause: Clause, title: str, text: str, defined_terms=None,
                                actor=None) -> ClauseVersion:
    """Create the next draft version of `clause` (editing never changes an approved version).

    `defined_terms` defaults to the defined terms found in `text`. Raises ValidationError listing
    unknown variables, syntax errors and undeclared or unused terms.
    """
    fields = _checked_fields(title, text, defined_terms)
    Clause.objects.select_for_update().get(pk=clause.pk)
    number = (clause.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ClauseVersion.objects.create(clause=clause, number=number, created_by=actor,
                                        source=ClauseVersion.Source.EDITOR, **fields)


@transaction.atomic
def clause_version_update_draft(*, version: ClauseVersion, title: str, text: str, defined_terms=None,
                                actor=None) -> ClauseVersion:
    """Change the wording of a draft version in place; raise ImmutableVersionError if it is approved."""
    version = ClauseVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ClauseVersion.Status.DRAFT:
        raise ImmutableVersionError(f"{version} is approved and cannot be changed; create a new draft version")
    for key, value in _checked_fields(title, text, defined_terms).items():
        setattr(version, key, value)
    version.save(update_fields=["title", "text", "defined_terms", "variables"])
    return version


@transaction.atomic
def clause_version_approve(*, version: ClauseVersion, actor) -> ClauseVersion:
    """Approve a draft version, recording who and when; it becomes immutable and, being the newest
    approved version of its clause, the one generation uses. Raises ImmutableVersionError when the
    version is already approved and ValidationError when its wording no longer checks."""
    version = ClauseVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ClauseVersion.Status.DRAFT:
        raise ImmutableVersionError(f"{version} is already approved (status {version.status} -> approved)")
    _checked_fields(version.title, version.text, version.defined_terms)
    version.status = ClauseVersion.Status.APPROVED
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    return version


def draft_generate(*, doc_type: str, answers: dict, actor=None) -> Draft:
    """Validate `answers`, assemble the document from the latest approved clause versions and record it.

    Returns the saved Draft (answers, topics, clause versions, template key and sha256, creator, file
    under MEDIA_ROOT/drafts/). Raises answers.AnswersError listing every problem, or
    assembly.AssemblyError when the library lacks an approved clause the document needs.
    """
    cleaned = validate_answers(answers, doc_type, known_positions=selectors.clause_positions_approved())
    versions = selectors.clause_versions_for_document(doc_type=doc_type, answers=cleaned)
    texts = [selectors.clause_text(v) for v in versions]
    _, sha256 = assembly.template_bytes(doc_type)
    with transaction.atomic():
        draft = Draft.objects.create(
            doc_type=doc_type, answers=cleaned, topics=[v.clause.topic_id for v in versions],
            template_key=doc_type, template_sha256=sha256, created_by=actor,
        )
        data = assembly.render_docx(doc_type, cleaned, clauses=texts, draft_id=draft.pk)
        draft.clause_versions.set(versions)
        draft.file.save(f"{doc_type}-{draft.pk}.docx", ContentFile(data), save=False)
        draft.save(update_fields=["file"])
    return draft
