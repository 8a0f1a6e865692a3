"""Profile detection: which kind of document is this (model_license, hosted_service, dpa, sow)?

Scores title words (first 400 characters, weighted) and keyword density over the whole text; ties go to
hosted_service, the most common vendor document.
"""
import re

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


def profile_scores(text: str) -> dict[str, float]:
    """Return a score per profile (title hits weighted, body hits per 1,000 words, capped)."""
    title = text[:400]
    body = text[:300_000]
    words = max(1, len(body.split()))
    scores = {}
    for profile, sig in _COMPILED.items():
        s = 0.0
        for rx, tw, dw in sig:
            if tw and rx.search(title):
                s += tw
            if dw:
                s += min(4.0, dw * len(rx.findall(body)) * 1000 / words / 5)
        scores[profile] = round(s, 3)
    return scores


def detect_profile(text: str) -> str:
    """Return the most likely profile of `text` (one of catalogue PROFILES)."""
    scores = profile_scores(text)
    best = max(PROFILES, key=lambda p: (scores[p], p == "hosted_service"))
    return best
