"""The leaders' dashboard: service figures for a school (campus, unit) and a date range, computed with plain SQL
aggregates, their written definitions, and the drill-down queries behind every figure."""
from workflows.dashboard.figures import DEFINITIONS, FIGURE_KEYS, Scope, drilldown, figures, local_day_bounds

__all__ = ["DEFINITIONS", "FIGURE_KEYS", "Scope", "drilldown", "figures", "local_day_bounds"]
