"""Assessment (考核评价): schemes of weighted indicators per service unit, campaigns that score a unit for a period,
and the results leaders rank units by."""
