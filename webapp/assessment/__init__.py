"""Assessment pages: schemes, campaigns and results (the leaders\x27 one screen is webapp.reports.onescreen)."""
