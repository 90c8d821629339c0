"""Complaint pages: intake on every channel, the complainant's own pages, the office's list and drill-down."""
