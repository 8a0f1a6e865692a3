"""The people and documents moving through review: uploads, scans, findings, reviews, dashboard."""
