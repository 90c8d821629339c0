"""Pages of satisfaction surveys: writing and publishing, results, and answering on a phone."""
