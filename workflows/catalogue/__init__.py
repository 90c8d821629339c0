"""The two-level service catalogue and the campus locations (campus → building → room)."""
