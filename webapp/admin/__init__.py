"""Administration pages: people, org chart, catalogue and places, imports, permissions, change log, outbox, webhooks and rules."""
