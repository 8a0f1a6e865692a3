"""Text in, scan report out (shared/spec/scan-report.md, schema "scan-report/1"). Pure: no ORM, no files.

Flow: detect profile and licence -> find party roles over the whole text -> cut the text into blocks
(paragraphs) -> tokenise and lemmatise each, run the other pipes only where a rule can match
(`find_evidence`) -> evidence with global offsets ->
values (jurisdiction, periods, thresholds) -> one status per topic -> finding/severity per profile ->
summary.
"""
import re
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from types import MappingProxyType

from clauses.catalogue import PROFILES, default_playbook, topics
from clauses.nlp import values as V
from clauses.nlp.components.ext import get_doc_ext, set_doc_ext
from clauses.nlp.components.roles import find_party_roles
from clauses.nlp.explain import explanation
from clauses.nlp.licenses import identify_license
from clauses.nlp.pipeline import CHECKER_VERSION, MAX_CHUNK_CHARS, get_nlp
from clauses.nlp.profiles import PROFILE_CHOICES, detect_profile
from clauses.nlp.structure import detect_sections, iter_blocks
from clauses.textdoc import page_at, section_at

SCHEMA = "scan-report/1"
PRESENT_NEEDS_VALUE = ("compliance.governing_law", "input.retention", "input.breach_notification")
MAX_EVIDENCE = 4
MAX_QUOTE = 600
VALUE_TOPICS = ("compliance.governing_law", "input.retention", "input.breach_notification", "license.user_cap",
                "continuity.price_changes", "liability.cap")


_LONG_RUNS = {400: re.compile(r"\S{400,}"), 64: re.compile(r"\S{64,}")}


def tame_long_runs(block: str, min_run: int = 400) -> str:
    """Return `block` with every run of `min_run`+ (400 or 64) non-space characters replaced by as many "x".

    spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one at a time, quadratic in the
    run's length: 100,000 quote marks took minutes. No rule reads such a run (the longest real tokens are
    URLs), and equal length keeps every offset, so evidence is still quoted from the original text."""
    pattern = _LONG_RUNS[min_run]
    if len(block) < min_run or not pattern.search(block):
        return block
    return pattern.sub(lambda m: "x" * len(m.group()), block)


# Letters that look like Latin ones (Unicode confusables, the common Cyrillic and Greek ones) and fullwidth
# ASCII: same length, so offsets stay; applied to the copy of the text the rules read, never to quotes.
_FULLWIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)}
_LOOKALIKES = dict(zip(map(ord, "аеорсухіјѕһԁԛԝАВЕКМНОРСТХІЈЅοινκαΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"),
                       map(ord, "aeopcyxijshdqwABEKMHOPCTXIJSoivkaABEZHIKMNOPTYX"), strict=True))
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)
_WORD_WITH_LOOKALIKE = re.compile(r"\w*[" + "".join(map(chr, _LOOKALIKES)) + r"]\w*")
# one regex scan decides whether there is anything to unmask (str.translate with a dict is slow on a long
# non-ASCII text: 0.2 s per 2 MB of contracts with curly quotes)
_FULLWIDTH_CHAR = re.compile("[\uff01-\uff5e]")
_MASKED = re.compile("[\uff01-\uff5e" + "".join(map(chr, _LOOKALIKES)) + "]")


def unmask_lookalikes(block: str) -> str:
    """Return `block` with fullwidth ASCII turned into ASCII, and Cyrillic/Greek look-alike letters turned into
    Latin inside words that also have Latin letters ("trаin" with a Cyrillic "а"), so a clause cannot hide from
    the rules behind them. Same length (offsets unchanged); words wholly in another script are left alone."""
    if block.isascii() or not _MASKED.search(block):
        return block
    if _FULLWIDTH_CHAR.search(block):
        block = block.translate(_FULLWIDTH)

    def fix(m: re.Match) -> str:
        word = m.group()
        return word.translate(_LOOKALIKE_TABLE) if re.search(r"[A-Za-z]", word) else word

    return _WORD_WITH_LOOKALIKE.sub(fix, block)


@lru_cache(maxsize=4)
def party_roles(text: str) -> MappingProxyType:
    """Return the document's party map (`find_party_roles`), read-only, computed once per text.

    Runs of 64+ non-space characters are blanked first: no party name is that long, and the definition
    regexes try a match at every capital letter of a run ("Provider" * 8000 took minutes)."""
    return MappingProxyType(find_party_roles(tame_long_runs(text, 64)))


def find_evidence(text: str) -> list[dict]:
    """Run the pipeline over the blocks of `text`; return evidence dicts with global offsets.

    Each block is tokenised and lemmatised first; a block where no rule can match (the topic matcher's
    exact `can_match` over the block's LOWER/LEMMA hashes) skips the other pipes, which cannot produce
    evidence there. (A keyword prefilter over the untokenised text used to drop blocks before tokenising:
    once `can_match` was cheap it cost as much as it saved, bench/scan_bench.py, and it was removed.)
    The pipes run as plain calls, in pipeline order otherwise (the lemmatizer reads neither sentence
    starts nor roles, nothing before it reads lemmas). The rules read a same-length copy of `text`
    (`unmask_lookalikes`, `tame_long_runs`); offsets are valid in `text` itself."""
    nlp = get_nlp()
    text = unmask_lookalikes(text)
    roles = party_roles(text)
    pipes = dict(nlp.pipeline)
    lemmatize, matcher = pipes["legal_lemmatizer"], pipes["topic_matcher"]
    rest = [proc for name, proc in nlp.pipeline if name != "legal_lemmatizer"]
    out = []
    for start, end in iter_blocks(text, max_chars=MAX_CHUNK_CHARS):
        block = tame_long_runs(text[start:end])
        doc = lemmatize(nlp.make_doc(block))
        if not matcher.can_match(doc):
            continue
        doc.user_data["text"] = block  # == doc.text, which the sentencizer would otherwise rebuild
        set_doc_ext(doc, "party_roles", roles)  # == doc._.party_roles = roles (components/ext.py)
        for proc in rest:
            doc = proc(doc)
        for ev in get_doc_ext(doc, "topic_evidence"):
            ev = dict(ev)
            for k in ("sent_start", "sent_end", "match_start", "match_end"):
                ev[k] += start
            out.append(ev)
        doc.user_data.clear()  # the token table refers back to the Doc: free it now, not at the next gc
    return out


def _quote_span(text: str, ev: dict) -> tuple[int, int]:
    s, e = ev["sent_start"], ev["sent_end"]
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e - s > MAX_QUOTE:
        ms, me = ev["match_start"], ev["match_end"]
        ns = max(s, ms - 250)
        ne = min(e, me + 250)
        if ns > s:
            sp = text.find(" ", ns, ms)
            ns = sp + 1 if sp >= 0 else ms
        if ne < e:
            sp = text.rfind(" ", me, ne)
            ne = sp if sp >= 0 else me
        s, e = ns, ne
    return s, e


def _evidence_item(text, ev, sections, pages, quote_span=None) -> dict:
    s, e = quote_span or _quote_span(text, ev)
    sec = section_at(sections, s)
    item = {"quote": text[s:e], "start": s, "end": e, "section": sec.label if sec else None,
            "page": page_at(pages, s), "polarity": ev["polarity"], "rule": ev.get("rule")}
    assert text[item["start"]:item["end"]] == item["quote"]
    return item


_MEMO_MAX_CHARS = 4000  # longer sentences are read afresh: the memo holds at most ~4 M characters


def _read(reader, sentence: str):
    """Return `reader(sentence)` for a pure value reader of clauses.nlp.values (jurisdictions, notice_periods,
    cap_value, ...), memoised by sentence text (`_read_memo`): qualify, the topic's value and value_evidence
    (once per evidence item) read the same sentences again and again. The result is shared: read it, never
    change it."""
    return reader(sentence) if len(sentence) > _MEMO_MAX_CHARS else _read_memo(reader, sentence)


@lru_cache(maxsize=1024)
def _read_memo(reader, sentence: str):
    return reader(sentence)


def _value_and_status(topic_id: str, text: str, evs: list[dict], playbook: dict):
    """Return (value, forced_status or None, extra evidence spans) from the topic's evidence sentences."""
    sents = []
    seen: dict = {}
    for ev in evs:  # one evidence per sentence, the favourable one when a sentence has both
        key = (ev["sent_start"], ev["sent_end"])
        if key not in seen:
            seen[key] = len(sents)
            sents.append(ev)
        elif ev["polarity"] == "favourable":
            sents[seen[key]] = ev
    if topic_id == "compliance.governing_law":
        # the value is the governing law; a forum (courts, venue) is reported only when no law is named
        # (a sentence only the court rule matched is a forum clause, whatever law it mentions in passing)
        by_role = {"law": [], "forum": []}
        court_only = {(e["sent_start"], e["sent_end"]) for e in evs if e.get("rule") == "comp.law.forum"}
        court_only -= {(e["sent_start"], e["sent_end"]) for e in evs if e.get("rule") != "comp.law.forum"}
        for ev in sents:
            for j in _read(V.jurisdictions, text[ev["sent_start"]:ev["sent_end"]]):
                role = "forum" if (ev["sent_start"], ev["sent_end"]) in court_only else j["role"]
                if j["name"] not in by_role[role]:
                    by_role[role].append(j["name"])
        names = V.drop_parents(by_role["law"] or by_role["forum"])
        value = "; ".join(names) if names else None
        accepted = [a.lower() for a in playbook.get("accepted_governing_laws") or []]
        if value and accepted and not all(n.lower() in accepted for n in names):
            return value, "conflict"
        return value, ("present" if value else None)
    if topic_id in ("input.retention", "input.breach_notification", "continuity.price_changes"):
        found = []
        read = {"continuity.price_changes": V.notice_periods, "input.retention": V.retention_periods,
                "input.breach_notification": V.notice_deadlines}[topic_id]
        for ev in sents:
            if topic_id != "input.retention" or ev["polarity"] == "favourable":
                for d in _read(read, text[ev["sent_start"]:ev["sent_end"]]):
                    found.append(d)
        if topic_id == "input.breach_notification":
            hours = [d for d in found if d["hours"] <= 24 * 60]
            if hours:
                worst = max(hours, key=lambda d: d["hours"])
                over = worst["hours"] > playbook["max_breach_notice_hours"]
                return worst["text"], ("conflict" if over else None)
            for ev in sents:
                m = V.UNDUE_DELAY.search(text[ev["sent_start"]:ev["sent_end"]])
                if m:
                    return m.group(0), None
            return None, None
        if topic_id == "input.retention":
            if any(ev["polarity"] == "unfavourable" for ev in evs):
                # the unfavourable retention rules are open-ended retention ("as long as it deems necessary",
                # "indefinitely", "without limit"): no period bounds it, whatever else the document says
                return "indefinite", "conflict"
            if not found:
                # "does not store or log prompts" (a negated retain/store rule) is zero retention
                # (only with a plain negation before the verb: polarity also reads "Prohibited Use Policy, X may
                # log" as negated)
                zero = any(ev["polarity"] == "favourable" and ev.get("negated") and _PLAIN_NEG.search(
                    text[ev["sent_start"]:ev["match_start"]]) for ev in evs)
                return ("0 days" if zero else None), None
            worst = max(found, key=lambda d: d["days"])
            return worst["text"], ("conflict" if worst["days"] > playbook["max_retention_days"] else None)
        if not found:
            return None, None
        shortest = min(found, key=lambda d: d["days"])
        return shortest["text"], ("conflict" if shortest["days"] < playbook["min_price_change_notice_days"] else None)
    if topic_id == "liability.cap":
        # a cap at a token amount is a conflict (topics.md); rule and thresholds in values.cap_value
        first = None
        for ev in sents:
            if ev["polarity"] != "favourable":
                continue
            cap = _read(V.cap_value, text[ev["sent_start"]:ev["sent_end"]])
            if cap and cap[1]:
                return cap[0], "conflict"
            first = first or (cap[0] if cap else None)
        return first, None
    if topic_id == "license.user_cap":
        for ev in sents:
            th = _read(V.thresholds, text[ev["sent_start"]:ev["sent_end"]])
            if th:
                return th[0]["text"], None
    return None, None


_PLAIN_NEG = re.compile(r"\b(?:not|never|no|nor)\b|n['’]t\b", re.I)
_QUALIFIED = re.compile(r"\bexcept\b|\bsubject to\b|\bother than\b|\bunless\b", re.I)


# "the Customer's total liability", "your aggregate liability": a cap on the customer's side is not the
# provider's cap (topics.md liability.cap); the possessive gives the role tagger no subject, so read it here
_CAP_ADJ = r"(?:(?:total|aggregate|entire|cumulative|maximum|overall|whole|sole)\s+)*$"


# a heading alone ("No Other Warranty.", "9.2 Governing Law") decides nothing: the clause under it does
_HEADING_TOPICS = frozenset({"continuity.terms_changes", "continuity.price_changes", "continuity.exit", "liability.cap",
                             "liability.customer_indemnity", "liability.warranty", "compliance.governing_law",
                             "compliance.territory"})
_VERBISH = re.compile(r"\b(?:shall|will|may|must|is|are|be|been|was|were|means|has|have|does|do|can|provides?|"
                      r"makes?|gives?|disclaims?|excludes?|warrants?|agrees?)\b", re.I)


_HEADING_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _is_heading(sentence: str) -> bool:
    # at most 6 words: no 7th word (the words are not all collected: a clause sentence has dozens)
    return next(islice(_HEADING_WORD.finditer(sentence), 6, None), None) is None and not _VERBISH.search(sentence)


def qualify(topic_id: str, text: str, evs: list[dict]) -> list[dict]:
    """Drop evidence that the sentence's own wording takes back.

    For the continuity, liability and compliance topics a bare heading ("No Other Warranty.") is
    not evidence (a governing-law heading that names the place is).

    liability.warranty: when the provider warrants something (favourable), a disclaimer sentence that says
    "except as expressly stated" / "subject to" does not contradict that warranty. liability.cap: a cap on
    the customer's liability ("the Customer's aggregate liability shall not exceed ...") is not a cap on the
    provider's. compliance.governing_law: a court clause that names no place is not evidence."""
    if topic_id in _HEADING_TOPICS:
        evs = [e for e in evs if not _read(_is_heading, text[e["sent_start"]:e["sent_end"]])
               or (topic_id == "compliance.governing_law" and _read(V.jurisdictions, text[e["sent_start"]:e["sent_end"]]))]
    if topic_id == "compliance.governing_law":
        # a court clause counts only when it names the place ("a court of competent jurisdiction" decides nothing)
        return [e for e in evs if e.get("rule") != "comp.law.forum"
                or _read(V.jurisdictions, text[e["sent_start"]:e["sent_end"]])]
    if topic_id == "liability.cap":
        caps = [e for e in evs if e["polarity"] == "favourable"]
        if not caps:
            return evs
        names = [re.escape(n) for n, r in party_roles(unmask_lookalikes(text)).items() if r == "customer"]
        own = re.compile(rf"(?:\b(?:{'|'.join(names + ['customer', 'licensee', 'client', 'user'])})s?(?:['’]s?)?"
                         r"|\byour)\s+" + _CAP_ADJ, re.I)
        return [e for e in evs if e["polarity"] != "favourable"
                or not own.search(text[max(e["sent_start"], e["match_start"] - 60):e["match_start"]])]
    if topic_id != "liability.warranty" or not any(e["polarity"] == "favourable" for e in evs):
        return evs
    return [e for e in evs if e["polarity"] == "favourable"
            or not _QUALIFIED.search(text[e["sent_start"]:e["sent_end"]])]


def decide(evs: list[dict]) -> str:
    """Return the status from evidence polarities: any unfavourable -> conflict; favourable -> present."""
    pols = {e["polarity"] for e in evs}
    if "unfavourable" in pols:
        return "conflict"
    if "favourable" in pols:
        return "present"
    return "missing"


def value_evidence(topic_id: str, text: str, evs: list[dict], playbook: dict) -> list[dict]:
    """Return the evidence to quote for a topic decided by its value: the sentences that state a value, and
    unfavourable wording that stands on its own; mere mentions ("keeps Customer Data confidential" for
    retention) are dropped. A sentence whose value alone breaks the playbook ("retains data for 365 days") is
    quoted with polarity "unfavourable". Falls back to `evs` when no sentence states a value alone."""
    out = []
    for ev in evs:
        value, forced = _value_and_status(topic_id, text, [ev], playbook)
        if value is not None:
            out.append(dict(ev, polarity="unfavourable") if forced == "conflict" else ev)
        elif ev["polarity"] == "unfavourable":
            out.append(ev)
    return out or evs


def check_text(text: str, *, name: str = "", sha256: str = "", fmt: str = "txt", sections=(), pages=(),
               profile: str = "auto", playbook: dict | None = None, warnings=()) -> dict:
    """Scan `text` and return a scan report dict (shared/spec/scan-report.md).

    `sections`/`pages` are sequences of clauses.textdoc.Section/Page (offsets into `text`); when no
    sections are given, numbered headings are detected from the text. `warnings` are the extraction's
    one-line notes ("1 unresolved revisions (tracked changes); read as if all were accepted"), reported as
    `document.warnings` so every face shows how the text was read. `profile` is "auto" or one of the
    catalogue profiles; `playbook` overrides default_playbook() keys. Raises ValueError for an unknown
    profile or playbook key.
    """
    if profile not in PROFILE_CHOICES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILE_CHOICES)}")
    book = default_playbook()
    for k, v in (playbook or {}).items():
        if k not in book:
            raise ValueError(f"unknown playbook key {k!r}; known keys: {', '.join(sorted(book))}")
        book[k] = v
    detected = detect_profile(text)
    used = detected if profile == "auto" else profile
    sections = tuple(sections) or detect_sections(text)
    pages = tuple(pages)

    by_topic: dict[str, list[dict]] = {}
    for ev in find_evidence(text):
        by_topic.setdefault(ev["topic"], []).append(ev)

    rows = []
    for spec in topics():
        evs = qualify(spec.id, text, by_topic.get(spec.id, []))
        status = decide(evs)
        value = forced = None
        if spec.id in VALUE_TOPICS and evs:
            value, forced = _value_and_status(spec.id, text, evs, book)
            if forced == "conflict" or (forced == "present" and status == "missing"):
                status = forced
        if spec.id in PRESENT_NEEDS_VALUE and status == "present" and value is None:
            # "applicable law" with no jurisdiction, deletion with no period, notice with no time limit:
            # the favourable position needs the stated value (topics.md), so the topic stays undecided
            status = "missing"
        req = spec.requirement(used)
        finding = status == "conflict" or (status == "missing" and req == "R")
        want = {"conflict": "unfavourable", "present": "favourable"}.get(status)
        if value is not None and (spec.id in PRESENT_NEEDS_VALUE or forced == "conflict"):
            evs = value_evidence(spec.id, text, evs, book)
        evidence, spans = [], set()
        # in order of (polarity != want, sent_start): sorted by start, the wanted polarity first; read only
        # until MAX_EVIDENCE distinct quotes (a missing topic quotes nothing)
        by_start = sorted(evs, key=itemgetter("sent_start")) if status != "missing" else []
        ordered = chain((e for e in by_start if e["polarity"] == want), (e for e in by_start if e["polarity"] != want))
        for ev in ordered:
            span = _quote_span(text, ev)
            if span in spans:
                continue
            spans.add(span)
            evidence.append(_evidence_item(text, ev, sections, pages, span))
            if len(evidence) >= MAX_EVIDENCE:
                break
        rows.append({
            "topic": spec.id,
            "group": spec.group,
            "title": spec.title,
            "status": status,
            "required": req == "R",
            "applicable": req != "-",
            "finding": finding,
            "severity": spec.default_severity if finding else "info",
            "value": value,
            "explanation": explanation(spec.id, status),
            "evidence": evidence,
            "suggested_clause": f"{spec.id}/preferred" if finding else None,
        })
    summary = {"findings": sum(r["finding"] for r in rows)}
    for st in ("conflict", "missing", "present"):
        summary[st] = sum(r["status"] == st for r in rows)
    for sev in ("high", "medium", "low"):
        summary[sev] = sum(r["finding"] and r["severity"] == sev for r in rows)
    return {
        "schema": SCHEMA,
        "checker_version": CHECKER_VERSION,
        "document": {"name": name, "sha256": sha256, "format": fmt, "words": len(text.split()),
                     "profile": used, "profile_detected": detected, "license": identify_license(text),
                     "playbook": book, "warnings": list(warnings)},
        "topics": rows,
        "summary": summary,
    }


__all__ = ["check_text", "PROFILES", "CHECKER_VERSION"]
