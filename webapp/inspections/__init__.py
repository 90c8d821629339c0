"""Inspection pages: the office's checklists and schedules, the inspector's phone pages, the lists and pages."""
