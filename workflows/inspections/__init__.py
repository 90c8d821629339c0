"""Inspections (巡查): checklists per service type, rounds walked on a phone, findings rectified and re-checked."""
