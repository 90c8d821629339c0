"""Duty management (值班管理): posts, rosters, proof of presence, equipment readings, anomalies and their PDCA."""
