"""Run the test CAS server on 127.0.0.1:<port>: migrate its database, allow every service on 127.0.0.1 (all
attributes released), then Django's threaded development server without its reloader."""
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
pattern, _ = ServicePattern.objects.get_or_create(name="houqin", defaults={"pattern": r"^http://127\.0\.0\.1:\d+/", "pos": 1})
ReplaceAttributName.objects.get_or_create(name="*", service_pattern=pattern)
call_command("runserver", f"127.0.0.1:{sys.argv[1]}", use_reloader=False, verbosity=0)
