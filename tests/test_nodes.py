"""FORUM_NODES above 1: the app refuses to start with what works on one machine only (a secret
key generated on this node, rate limits in process memory, SQLite), and says what to set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forum import ConfigurationError, check_nodes, create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = {"NODES": 2, "SECRET_KEY": "gemeinsam", "SECRET_KEY_PER_NODE": False,
          "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
          "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://forum@db.intern/fachdialog"}


def test_check_nodes_accepts_shared_settings_and_one_node():
    check_nodes(SHARED)
    check_nodes({"NODES": 1, "SECRET_KEY_PER_NODE": True, "RATELIMIT_STORAGE_URI": "memory://",
                 "SQLALCHEMY_DATABASE_URI": "sqlite:///instance/forum.db"})


@pytest.mark.parametrize(("setting", "value", "names"), [
    ("SECRET_KEY_PER_NODE", True, "FORUM_SECRET_KEY"),
    ("RATELIMIT_STORAGE_URI", "memory://", "FORUM_RATELIMIT_STORAGE_URI"),
    ("SQLALCHEMY_DATABASE_URI", "sqlite:///instance/forum.db", "FORUM_DATABASE_URL"),
])
def test_check_nodes_refuses_single_machine_setting(setting, value, names):
    with pytest.raises(ConfigurationError) as refused:
        check_nodes({**SHARED, setting: value})
    assert names in str(refused.value) and "FORUM_NODES=2" in str(refused.value)


def test_create_app_with_a_given_secret_key_counts_it_as_shared():
    overrides = {key: value for key, value in SHARED.items() if key != "SECRET_KEY_PER_NODE"}
    app = create_app(overrides)
    assert app.config["SECRET_KEY_PER_NODE"] is False


def _start(env: dict) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    return subprocess.run(
        [sys.executable, "-c", "from forum import create_app; create_app(); print('gestartet')"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**base, "PYTHONPATH": str(ROOT), "FORUM_NODES": "2",
             "FORUM_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
             "FORUM_DATABASE_URL": "postgresql+psycopg://forum@db.intern/fachdialog", **env})


def test_process_without_forum_secret_key_refuses_to_start_on_several_nodes():
    """As an operator starts it: the environment, no overrides; the key file in instance/
    (made on this machine) is exactly what must not be used."""
    refused = _start({})
    assert refused.returncode != 0
    assert "ConfigurationError" in refused.stderr and "FORUM_SECRET_KEY" in refused.stderr
    started = _start({"FORUM_SECRET_KEY": "ein-gemeinsamer-schluessel"})
    assert started.returncode == 0, started.stderr
    assert "gestartet" in started.stdout
