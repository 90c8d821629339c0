"""Service staff pages: the register, a person's page, certificates, staffing, and the school's setup."""
