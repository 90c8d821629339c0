"""Repair orders on the web: the staff list and order page, the requesters' intake pages, the counter, and rating links."""
