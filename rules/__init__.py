"""Escalation, reminder and rating rules: YAML defaults, validation and the helpers diagrams call.

Diagrams never hold literal durations for reminders or escalations; they call
``rule_duration('repair.review.reminder_after')`` and admins change the value here."""
