"""Complaints and suggestions (投诉建议): from any channel through triage, handling, reply and the complainant's verdict."""
