"""Pages of the service standards library."""
