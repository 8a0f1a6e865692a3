"""Test settings: fast hashing, in-process tasks unless a test starts a real worker."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite runs tasks in-process; tests that need a real broker read CELERY_TEST_BROKER_URL themselves.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# django-axes needs a request in authenticate(); client.login()/force_login() give none. Off by default;
# throttling tests switch it on with `settings.AXES_ENABLED = True` (tests/test_security_login.py).
AXES_ENABLED = False
# API rate limits far above what any test sends; tests/api/test_throttling.py sets low rates itself.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {  # noqa: F405
    "user": "100000/min", "uploads": "100000/min"}}
# The same storage class as production; no key = plain files. Encryption tests set FILE_ENCRYPTION_KEYS.
FILE_ENCRYPTION_KEYS = []
STORAGES = {
    "default": {"BACKEND": "procurement.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Opt-in (SQLITE_TEST_FILE=1): a file test database on SQLite instead of :memory:, so the tests that start
# a real Celery worker subprocess can share it locally without PostgreSQL (tests/procurement/test_worker.py).
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and env.bool("SQLITE_TEST_FILE", default=False):  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"procurement-test-{os.getpid()}.sqlite3")}
