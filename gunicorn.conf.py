"""gunicorn for production and for `make bench` / `make soak`; each setting can be overridden.

Sync workers, one request at a time each, behind a buffering proxy (nginx, the load balancer),
as gunicorn's documentation advises: every connection carries one request, so a new request goes
to whichever process is free. (Processes that keep connections open, gthread, split a burst of
clients unevenly: measured here, one process served every connection while the others idled.)
One process per core plus one keeps the cores busy while a request waits on PostgreSQL. See
docs/performance.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
worker_class = "sync"
# A request that takes longer than this is stuck: its worker is replaced.
timeout = 30
graceful_timeout = 10
accesslog = None
errorlog = "-"
