"""Procurement models (uploads, scans, findings, reviews) — see issue 4."""
