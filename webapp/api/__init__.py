"""The JSON API under /api/v1 (and its admin part), described by openapi.yaml."""
