"""Repair work orders: intake, the steps the repair diagram records, ratings, callbacks, rectification."""
