"""gunicorn for production and for `make bench` / `make soak`; each setting can be overridden.

One thread per process: the work is Python, so more threads in a process only wait for each
other (and add tail latency); one process per core plus one keeps the cores busy while a
request waits on PostgreSQL. gthread workers keep idle keep-alive connections open without
holding a thread. See README, "Performance and resilience".
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = 5
# A request that takes longer than this is stuck: its worker is replaced.
timeout = 30
graceful_timeout = 10
accesslog = None
errorlog = "-"
