"""Schools, campuses, org units, users, roles and API tokens."""
