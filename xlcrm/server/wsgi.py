"""The WSGI application waitress serves."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xlcrm.server.settings")
application = get_wsgi_application()
