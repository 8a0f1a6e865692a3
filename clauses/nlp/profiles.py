"""Profile detection: which kind of document is this (model_license, hosted_service, dpa, sow)?

Scores title words (first 400 characters, weighted) and keyword density over the whole text; ties go to
hosted_service, the most common vendor document.
"""
import re
from collections import Counter

from clauses.catalogue import PROFILES

PROFILE_CHOICES = ("auto",) + PROFILES
_SIGNALS = {
    "dpa": [(r"data processing (?:addendum|agreement|terms)|\bdpa\b", 6, 2), (r"\bsub-?processors?\b", 0, 0.5),
            (r"\bcontrollers?\b", 0, 0.4), (r"\bdata subjects?\b", 0, 0.5), (r"standard contractual clauses", 0, 1),
            (r"\bprocessors?\b", 0, 0.3), (r"personal data breach", 0, 1)],
    "sow": [(r"statement of work|\bsow\b|development agreement|services? order", 6, 2), (r"\bdeliverables?\b", 0, 0.6),
            (r"\bmilestones?\b", 0, 0.6), (r"acceptance (?:criteria|testing)", 0, 1), (r"\bwork product\b", 0, 0.5)],
    "model_license": [(r"licen[cs]e agreement|\blicen[cs]e\b|terms of use|rail", 3, 0), (r"\blicensee\b", 0, 0.4),
                      (r"\bweights?\b", 0, 0.6), (r"\bderivative(?:s| works?)?\b", 0, 0.3),
                      (r"\bredistribut\w*|\bdistribut\w*", 0, 0.15), (r"\bmodels?\b", 0, 0.1),
                      (r"\bcopyright\b", 0, 0.15), (r"\bpermission is hereby granted\b", 4, 3)],
    "hosted_service": [(r"terms of service|services? agreement|commercial terms|cloud service|subscription|addendum", 3, 0),
                       (r"\bcustomer\b", 0, 0.12), (r"\bservices?\b", 0, 0.1), (r"\bapi\b", 0, 0.3),
                       (r"\bcustomer (?:content|data)\b", 0, 0.6), (r"\bfees?\b", 0, 0.3), (r"\bsubscription\b", 0, 0.4)],
}
_COMPILED = {p: [(re.compile(rx, re.I), tw, dw) for rx, tw, dw in sig] for p, sig in _SIGNALS.items()}

# Body signals that are whole words ("\bfees?\b") are counted from one Counter of the body's words instead of
# one regex pass each (20 case-insensitive passes over 300k characters cost half a bare tokenisation):
# regex -> the words it matches (a trailing "*" = any word starting so). The others (phrases) keep their
# regex, run on the lower-cased body only when a literal every match contains is present.
_WORD_SIGNALS = {
    r"\bcontrollers?\b": ("controller", "controllers"), r"\bprocessors?\b": ("processor", "processors"),
    r"\bdeliverables?\b": ("deliverable", "deliverables"), r"\bmilestones?\b": ("milestone", "milestones"),
    r"\blicensee\b": ("licensee",), r"\bweights?\b": ("weight", "weights"),
    r"\bderivative(?:s| works?)?\b": ("derivative", "derivatives"),
    r"\bredistribut\w*|\bdistribut\w*": ("redistribut*", "distribut*"), r"\bmodels?\b": ("model", "models"),
    r"\bcopyright\b": ("copyright",), r"\bcustomer\b": ("customer",), r"\bservices?\b": ("service", "services"),
    r"\bapi\b": ("api",), r"\bfees?\b": ("fee", "fees"), r"\bsubscription\b": ("subscription",),
}
_PHRASE_GUARD = {
    r"data processing (?:addendum|agreement|terms)|\bdpa\b": ("data processing ", "dpa"),
    r"\bsub-?processors?\b": ("processor",), r"\bdata subjects?\b": ("data subject",),
    r"standard contractual clauses": ("standard contractual clauses",),
    r"personal data breach": ("personal data breach",),
    r"statement of work|\bsow\b|development agreement|services? order": ("statement of work", "sow",
                                                                         "development agreement", " order"),
    r"acceptance (?:criteria|testing)": ("acceptance ",), r"\bwork product\b": ("work product",),
    r"\bcustomer (?:content|data)\b": ("customer ",), r"\bpermission is hereby granted\b": ("permission is hereby",),
}
_BODY = {rx: re.compile(rx) for rx in _PHRASE_GUARD}  # run on the lower-cased body: no re.I needed
_WORDS = re.compile(r"\w+")


def _body_counts(body: str) -> dict[str, int]:
    """Return {signal regex: number of matches in `body`} for every body signal (weight > 0)."""
    low = body.lower()
    words: dict[str, int] = {}
    for w, n in Counter(_WORDS.findall(body)).items():  # words of the original text: \b is as in the regex
        w = w.lower()
        words[w] = words.get(w, 0) + n
    prefixes = {f[:-1] for forms in _WORD_SIGNALS.values() for f in forms if f.endswith("*")}
    by_prefix = {pre: sum(n for w, n in words.items() if w.startswith(pre)) for pre in prefixes}
    counts = {}
    for rx, forms in _WORD_SIGNALS.items():
        counts[rx] = sum(by_prefix[f[:-1]] if f.endswith("*") else words.get(f, 0) for f in forms)
    for rx, guards in _PHRASE_GUARD.items():
        counts[rx] = len(_BODY[rx].findall(low)) if any(g in low for g in guards) else 0
    return counts


def profile_scores(text: str) -> dict[str, float]:
    """Return a score per profile (title hits weighted, body hits per 1,000 words, capped)."""
    title = text[:400]
    body = text[:300_000]
    words = max(1, len(body.split()))
    counts = _body_counts(body)
    scores = {}
    for profile, sig in _COMPILED.items():
        s = 0.0
        for rx, tw, dw in sig:
            if tw and rx.search(title):
                s += tw
            if dw:
                s += min(4.0, dw * counts[rx.pattern] * 1000 / words / 5)
        scores[profile] = round(s, 3)
    return scores


def detect_profile(text: str) -> str:
    """Return the most likely profile of `text` (one of catalogue PROFILES)."""
    scores = profile_scores(text)
    best = max(PROFILES, key=lambda p: (scores[p], p == "hosted_service"))
    return best
