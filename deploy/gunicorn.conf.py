"""gunicorn for Fachdialog (docs/deploy.md):
`gunicorn -c deploy/gunicorn.conf.py 'forum:create_app()'`.

Every value can be changed without editing this file: GUNICORN_BIND, WEB_CONCURRENCY (the
number of workers), GUNICORN_TIMEOUT. The access log leaves out client addresses, referrers
and headers and replaces every secret in a path (guest links, confirmation, reset and
unsubscribe links, statements of reasons) and query values (forum/access_log.py)."""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: `forum`

from forum import access_log  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # behind the reverse proxy
# Sync workers: each serves one request at a time, so a slow one blocks nothing else.
# (2 x cores) + 1 is gunicorn's own advice; memory is about 120 MB a worker.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request taking longer than this is killed (the largest work, a search over a million posts,
# takes well under a second); a worker told to stop finishes its request within
# graceful_timeout. keepalive: the proxy reuses its connections.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once), so a slow
# leak cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200
# The largest request line and headers a client may send (the app limits bodies itself).
limit_request_line = 4094
limit_request_fields = 100

# Logs go to stdout/stderr: systemd's journal keeps them (deploy/systemd/*.service).
accesslog = "-"
errorlog = "-"
loglevel = "info"
logger_class = access_log.gunicorn_logger_class
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# X-Forwarded-* are read by the app itself (FORUM_PROXY_COUNT, werkzeug's ProxyFix);
# gunicorn trusts none of them.
forwarded_allow_ips = ""
proc_name = "fachdialog"
# gunicorn 27's control socket (~/.gunicorn/gunicorn.ctl) is not needed: systemd sends
# signals (reload: HUP); two instances on one machine would share its path.
control_socket_disable = True


def post_worker_init(worker):
    """The worker has loaded the app: redact with its routes."""
    url_map = getattr(worker.wsgi, "url_map", None)
    if url_map is not None:
        worker.log.use_url_map(url_map)
