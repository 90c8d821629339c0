"""Work plans and delegated tasks (supervision) on the web."""
