"""SOW and DPA assembly: answers + resolved clause texts in, .docx bytes out. Pure: no ORM, no requests.

Which topics a document covers is data (`COVERAGE`, documented in README "Generator"): each document
type lists its topics with the condition on the answers under which the topic's clause is included.
Templates live in `templates/docx/<key>_tpl.docx` (built by `manage.py build_docx_templates`) and are
rendered with docxtpl, `autoescape=True` and `StrictUndefined` (KNOWN-FAILURES: docxtpl). After
rendering, any surviving ``{{``, ``{%``, ``}}`` or ``%}`` is an error naming the paragraph. Every output
carries custom document properties (docProps/custom.xml) recording the draft id, clause version ids,
template key and sha256, so `read_generated_metadata` can recognise a generated document later.
"""
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined
from lxml import etree

from clauses import catalogue, library

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"
TEMPLATE_KEYS = ("sow", "dpa")
DOCUMENT_TITLES = {"sow": "Statement of Work", "dpa": "Data Processing Agreement"}
GENERATOR = "ai-procurement-contracts/generator-1"

# --- Topic coverage --------------------------------------------------------------------------------
# Conditions over cleaned answers. Rationale: derivatives exist only when a model is fine-tuned; weights
# are delivered (so integrity and redistribution matter) only when the customer runs them; the provider
# handles customer data whenever it hosts the model or receives fine-tuning data.
CONDITIONS = {
    "always": ("always", lambda a: True),
    "fine_tuning": ("engagement.fine_tuning is true", lambda a: a["engagement"]["fine_tuning"]),
    "weights_delivered": ("engagement.deployment is self_hosted or hybrid",
                          lambda a: a["engagement"]["deployment"] in ("self_hosted", "hybrid")),
    "modifiable": ("engagement.fine_tuning is true, or deployment is self_hosted or hybrid",
                   lambda a: a["engagement"]["fine_tuning"] or a["engagement"]["deployment"] != "hosted"),
    "provider_handles_data": ("engagement.deployment is hosted or hybrid, or engagement.fine_tuning is true",
                              lambda a: a["engagement"]["deployment"] != "self_hosted" or a["engagement"]["fine_tuning"]),
}
COVERAGE = {
    "sow": {
        "derivatives.ownership": "fine_tuning",
        "derivatives.right_to_modify": "modifiable",
        "derivatives.exclusivity": "fine_tuning",
        "input.no_training": "always",
        "input.confidentiality": "always",
        "input.encryption": "provider_handles_data",
        "input.retention": "provider_handles_data",
        "input.subprocessors": "provider_handles_data",
        "input.breach_notification": "provider_handles_data",
        "input.data_location": "provider_handles_data",
        "input.audit": "provider_handles_data",
        "input.human_review": "provider_handles_data",
        "output.ownership": "always",
        "output.commercial_use": "always",
        "output.use_restrictions": "always",
        "output.ip_indemnity": "always",
        "license.user_cap": "always",
        "license.acceptable_use": "always",
        "license.attribution": "always",
        "license.redistribution": "weights_delivered",
        "license.termination": "always",
        "security.artifact_integrity": "weights_delivered",
        "security.change_notice": "always",
        "continuity.terms_changes": "always",
        "continuity.price_changes": "always",
        "continuity.exit": "always",
        "compliance.governing_law": "always",
        "compliance.territory": "always",
        "liability.cap": "always",
        "liability.warranty": "always",
        "liability.customer_indemnity": "always",
    },
    # A DPA exists only when personal data is processed (answers validation refuses otherwise) and
    # carries every input-protection clause in full.
    "dpa": {
        "derivatives.exclusivity": "fine_tuning",
        "input.no_training": "always",
        "input.confidentiality": "always",
        "input.encryption": "always",
        "input.retention": "always",
        "input.subprocessors": "always",
        "input.breach_notification": "always",
        "input.data_location": "always",
        "input.audit": "always",
        "input.human_review": "always",
        "continuity.terms_changes": "always",
        "continuity.exit": "always",
        "compliance.governing_law": "always",
        "liability.cap": "always",
    },
}
GROUP_HEADINGS = {
    "derivatives": "Ownership of fine-tuned models",
    "input": "Protection of customer inputs",
    "output": "Outputs",
    "license": "Licence terms",
    "security": "Model and supply-chain security",
    "continuity": "Changes, prices and exit",
    "compliance": "Governing law and territory",
    "liability": "Liability and warranties",
}
# Without fine-tuning the derivatives group holds only the customer's right to modify the Model.
NO_FINE_TUNING_HEADINGS = {"derivatives": "Modification of the Model"}
DEPLOYMENT_TEXT = {
    "hosted": "hosted and operated by the Provider",
    "self_hosted": "deployed and run by the Customer on infrastructure the Customer controls",
    "hybrid": "operated partly by the Provider and partly on infrastructure the Customer controls",
}
_MARKER = re.compile(r"\{\{|\{%|\}\}|%\}")
_jinja_env = Environment(undefined=StrictUndefined, autoescape=True)

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROP_PREFIX = "aicontracts_"
MAX_CUSTOM_XML_BYTES = 1024 * 1024


class AssemblyError(ValueError):
    """The document cannot be assembled (missing clause, template variable or surviving markup)."""


@dataclass(frozen=True)
class ClauseText:
    """One resolved clause wording: its topic and position, title, text (Jinja over the answers),
    the defined terms it uses, and the id of the clause version it came from (None outside the DB)."""

    topic: str
    position: str
    title: str
    text: str
    defined_terms: tuple[str, ...] = ()
    version_id: int | None = None


def coverage_rule(doc_type: str) -> list[dict]:
    """Return [{"topic", "condition"}] for `doc_type` in catalogue order, conditions in words."""
    return [{"topic": tid, "condition": CONDITIONS[cond][0]} for tid, cond in COVERAGE[doc_type].items()]


def select_topics(doc_type: str, answers: dict) -> list[str]:
    """Return the topic ids a `doc_type` document includes for cleaned `answers`, in catalogue order."""
    rule = COVERAGE[doc_type]
    return [tid for tid in catalogue.topic_ids() if tid in rule and CONDITIONS[rule[tid]][1](answers)]


def clauses_from_data(doc_type: str, answers: dict) -> list[ClauseText]:
    """Return the data-file wording for the topics `doc_type` includes, honouring `answers["positions"]`.

    The pure path (tests, bench) — the product resolves approved versions from the database instead.
    """
    entries = {(e.topic, e.position): e for e in library.clause_entries()}
    chosen = []
    for tid in select_topics(doc_type, answers):
        e = entries[(tid, answers.get("positions", {}).get(tid, "preferred"))]
        chosen.append(ClauseText(e.topic, e.position, e.title, e.text, e.defined_terms))
    return chosen


def text_context(doc_type: str, answers: dict) -> dict:
    """Return the names clause and definition texts may use: the answers plus derived values."""
    date = dt.date.fromisoformat(answers["effective_date"])
    return {**answers, "document_name": DOCUMENT_TITLES[doc_type],
            "effective_date_text": f"{date.day} {date:%B %Y}"}


def resolve_clauses(doc_type: str, answers: dict, clauses: Iterable[ClauseText]) -> list[dict]:
    """Return the included clauses in document order with variables substituted.

    Each item: {"topic", "position", "group", "title", "text", "defined_terms", "version_id"}. Clauses for
    topics the document does not include are ignored; a missing one raises AssemblyError.
    """
    by_topic = {}
    for c in clauses:
        by_topic.setdefault(c.topic, c)
    ctx = text_context(doc_type, answers)
    resolved = []
    for tid in select_topics(doc_type, answers):
        c = by_topic.get(tid)
        if c is None:
            raise AssemblyError(f"no approved clause for topic {tid}")
        try:
            text = library.render_text(c.text, ctx)
        except Exception as exc:  # StrictUndefined, sandbox or syntax errors in edited wording
            raise AssemblyError(f"clause {tid} [{c.position}] cannot be rendered: {exc}") from exc
        resolved.append({"topic": tid, "position": c.position, "group": tid.split(".")[0], "title": c.title,
                         "text": text, "defined_terms": library.terms_rendered(text, c.defined_terms),
                         "version_id": c.version_id})
    return resolved


def group_heading(group: str, answers: dict) -> str:
    """Return the heading of a topic group for cleaned `answers` (no fine-tuning wording without it)."""
    if not answers["engagement"]["fine_tuning"] and group in NO_FINE_TUNING_HEADINGS:
        return NO_FINE_TUNING_HEADINGS[group]
    return GROUP_HEADINGS[group]


def build_context(doc_type: str, answers: dict, resolved: list[dict]) -> dict:
    """Return the docxtpl context: parties, recitals data, definitions, numbered groups, schedules."""
    ctx = text_context(doc_type, answers)
    terms = library.terms_closure((t for c in resolved for t in c["defined_terms"]), ctx)
    defs = library.definitions()
    definitions = [{"term": t, "text": library.render_text(defs[t], ctx)} for t in terms]
    groups, number = [], 1  # 1 is Definitions
    for group in (g["id"] for g in catalogue.groups()):
        items = [c for c in resolved if c["group"] == group]
        if not items:
            continue
        number += 1
        groups.append({
            "number": number, "title": group_heading(group, answers),
            "clauses": [{"number": f"{number}.{i}", "title": c["title"], "text": c["text"], "topic": c["topic"]}
                        for i, c in enumerate(items, 1)],
        })
    return {
        **ctx,
        "document_title": DOCUMENT_TITLES[doc_type].upper(),
        "deployment_text": DEPLOYMENT_TEXT[answers["engagement"]["deployment"]],
        "definitions": definitions,
        "groups": groups,
        "general_number": number + 1,
    }


def template_path(template_key: str) -> Path:
    """Return the path of a template key's .docx; raise AssemblyError for an unknown key."""
    if template_key not in TEMPLATE_KEYS:
        raise AssemblyError(f"unknown template {template_key!r}; use one of {', '.join(TEMPLATE_KEYS)}")
    return TEMPLATE_DIR / f"{template_key}_tpl.docx"


def template_bytes(template_key: str) -> tuple[bytes, str]:
    """Return (template bytes, sha256 hex) for `template_key`."""
    data = template_path(template_key).read_bytes()
    return data, hashlib.sha256(data).hexdigest()


_TEMPLATE_VARIABLES: dict[str, frozenset[str]] = {}


def _template_variables(sha256: str, data: bytes) -> frozenset[str]:
    """Top-level names a template needs (computed once per template digest)."""
    if sha256 not in _TEMPLATE_VARIABLES:
        names = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(_jinja_env)
        _TEMPLATE_VARIABLES[sha256] = frozenset(names)
    return _TEMPLATE_VARIABLES[sha256]


def _paragraph_texts(document) -> Iterable[tuple[str, str]]:
    """Yield (where, text) for every paragraph in the body, tables, headers and footers.

    Headers and footers are read through the relationships' current targets: docxtpl swaps those parts
    after rendering, and python-docx's `section.footer` would still show the unrendered ones.
    """
    parts = [("body", document.element.body)]
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            kind = "header" if rel.reltype == RT.HEADER else "footer"
            parts.append((f"{kind} {rel.target_part.partname}", rel.target_part.element))
    for where, element in parts:
        for i, p in enumerate(element.iter(qn("w:p")), 1):
            yield f"{where} paragraph {i}", "".join(t.text or "" for t in p.iter(qn("w:t")))


def markup_left(document) -> list[str]:
    """Return a description of every paragraph of a python-docx Document that still holds template markup."""
    return [f"{where}: {text[:80]!r}" for where, text in _paragraph_texts(document) if _MARKER.search(text)]


def _custom_properties_xml(props: dict) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(props.items(), start=2):  # pid 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=CUSTOM_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_custom_properties(document, props: dict) -> None:
    """Write docProps/custom.xml; python-docx's writer adds the content-type override and package rel."""
    package = document.part.package
    blob = _custom_properties_xml(props)
    try:
        part = package.part_related_by(RT.CUSTOM_PROPERTIES)
        part._blob = blob
    except KeyError:
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)


def render_docx(template_key: str, answers: dict, *, clauses: Iterable[ClauseText] | None = None,
                clause_texts: Iterable[ClauseText] | None = None, draft_id: int | None = None) -> bytes:
    """Render the `template_key` ("sow"/"dpa") document for cleaned `answers` and return .docx bytes.

    `answers` must come from `answers.validate_answers`. `clauses` (alias `clause_texts`) are the
    resolved `ClauseText` wordings, at least one per included topic (see `COVERAGE`). `draft_id` is
    written with the clause version ids and template digest into the custom properties.
    Raises AssemblyError naming a missing clause, missing template variables, or every paragraph in
    which template markup survived.
    """
    clauses = list(clauses if clauses is not None else (clause_texts or ()))
    data, sha256 = template_bytes(template_key)
    resolved = resolve_clauses(template_key, answers, clauses)
    context = build_context(template_key, answers, resolved)
    missing = _template_variables(sha256, data) - set(context)
    if missing:
        raise AssemblyError(f"template {template_key} needs values for: {', '.join(sorted(missing))}")
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.render(context, _jinja_env, autoescape=True)
    left = markup_left(tpl.docx)
    if left:
        raise AssemblyError("template markup survived rendering in " + "; ".join(left))
    tpl.docx.core_properties.title = f"{DOCUMENT_TITLES[template_key]}: {answers['customer']['name']}"
    _set_custom_properties(tpl.docx, {
        f"{PROP_PREFIX}generator": GENERATOR,
        f"{PROP_PREFIX}draft_id": "" if draft_id is None else draft_id,
        f"{PROP_PREFIX}doc_type": template_key,
        f"{PROP_PREFIX}template_key": template_key,
        f"{PROP_PREFIX}template_sha256": sha256,
        f"{PROP_PREFIX}clause_version_ids": ",".join(str(c["version_id"]) for c in resolved if c["version_id"]),
        f"{PROP_PREFIX}topics": ",".join(c["topic"] for c in resolved),
    })
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def read_generated_metadata(docx_bytes: bytes) -> dict | None:
    """Return the generator's metadata of a .docx, or None if it was not generated by this product.

    Shape: {"generator", "draft_id" (int|None), "doc_type", "template_key", "template_sha256",
    "clause_version_ids" (list[int]), "topics" (list[str])}. Never raises on arbitrary bytes.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zf:
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > MAX_CUSTOM_XML_BYTES:
                return None
            with zf.open(info) as fh:
                raw = fh.read(MAX_CUSTOM_XML_BYTES + 1)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(raw, parser)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, ValueError):
        return None
    props = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        if name.startswith(PROP_PREFIX):
            props[name[len(PROP_PREFIX):]] = "".join(prop.itertext())
    if props.get("generator", "").split("/")[0] != GENERATOR.split("/")[0]:
        return None

    def ints(value):
        return [int(v) for v in value.split(",") if v.strip().isdigit()]

    draft_id = props.get("draft_id", "")
    return {
        "generator": props["generator"],
        "draft_id": int(draft_id) if draft_id.isdigit() else None,
        "doc_type": props.get("doc_type", ""),
        "template_key": props.get("template_key", ""),
        "template_sha256": props.get("template_sha256", ""),
        "clause_version_ids": ints(props.get("clause_version_ids", "")),
        "topics": [t for t in props.get("topics", "").split(",") if t],
    }
