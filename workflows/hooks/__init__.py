"""Signed outgoing webhooks: business events posted to the subscribers a school's admin registered."""
