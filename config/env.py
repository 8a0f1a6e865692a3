"""The one `environ.Env` of the project and the base directory.

Every setting that can change between machines is read here from the environment (12-factor), with an
embedded default that needs no service: SQLite, tasks run in-process.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A local .env file is optional; the environment always wins over it.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(str(BASE_DIR / ".env"), overwrite=False)
