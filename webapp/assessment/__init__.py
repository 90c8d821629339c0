"""Assessment pages: schemes, campaigns, results, and the leaders\x27 one screen."""
