"""In-app notifications: the always-on channel of the outbox."""
