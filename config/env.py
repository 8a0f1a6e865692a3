"""The one `environ.Env` of the project and the base directory.

Every setting that can change between machines is read here from the environment (12-factor), with an
embedded default that needs no service: SQLite, tasks run in-process.
"""
import re
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A local .env file is optional; the environment always wins over it.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(str(BASE_DIR / ".env"), overwrite=False)


_RATE = re.compile(r"^\s*([1-9][0-9]{0,8})\s*/\s*(second|sec|s|minute|min|m|hour|h|day|d)\s*$", re.I)


def throttle_rate(name: str, *, default: str) -> str:
    """Read a REST API rate such as "600/min" from the environment variable `name` (default `default`).

    Units: second|sec|s, minute|min|m, hour|h, day|d. DRF reads only a unit's first letter, so "1000/month"
    would silently mean per minute; anything else raises ImproperlyConfigured naming the variable, at
    start-up instead of a 500 on every API request."""
    from django.core.exceptions import ImproperlyConfigured

    value = env.str(name, default=default)
    m = _RATE.match(value)
    if not m:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: write N/second, N/minute, N/hour or N/day (e.g. 600/minute)")
    return f"{m.group(1)}/{m.group(2).lower()}"
