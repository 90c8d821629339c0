"""Leaders' figures: the dashboard and the service-analysis reports."""
