"""FORUM_RATELIMIT_STORAGE_URI=redis://… works as the README says: the app starts with it, and
two app processes share one count in the Redis on 127.0.0.1."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/0"
WORKER = """
import json, sys
from forum import create_app, ratelimits
from forum.extensions import hashed_client_key
app = create_app({"TESTING": True, "SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                  "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": sys.argv[1],
                  "RATE_LIMITS": {"post": {"account": "3 per hour", "client": "3 per hour"}}})
with app.test_request_context("/", environ_base={"REMOTE_ADDR": sys.argv[2]}):
    print(json.dumps([[ratelimits.allow("post") for _ in range(2)], hashed_client_key()]))
"""


def _worker(storage: str, address: str):
    out = subprocess.run([sys.executable, "-c", WORKER, storage, address], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "FORUM_SECRET_KEY": "s"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_processes_share_one_limit_in_redis():
    address = f"127.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    key = None
    try:
        first, key = _worker(REDIS, address)
        second, _key = _worker(REDIS, address)
        assert first + second == [True, True, True, False]  # 3 per hour in all, not per process
    finally:
        client = redis.Redis.from_url(REDIS)
        for name in client.scan_iter(f"*{key}*") if key else ():  # only this run's counters
            client.delete(name)
        client.close()


def test_in_memory_counts_are_per_process():
    """Why the README asks for Redis with several workers."""
    address = f"127.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    assert _worker("memory://", address)[0] == _worker("memory://", address)[0] == [True, True]
