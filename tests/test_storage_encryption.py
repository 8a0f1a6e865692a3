"""Encryption at rest: procurement/storage.py and `manage.py rotate_file_keys` (issue 6)."""
import os
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.urls import include, path

from procurement.storage import MAGIC, EncryptedFileSystemStorage, FileDecryptionError

# Written for these tests; not taken from any real contract.
CLAUSE = b"The supplier shall delete all customer personal data within thirty days of termination."


def _stored_file_view(request, name):
    with default_storage.open(name) as fh:
        return HttpResponse(fh.read(), content_type="text/plain")


urlpatterns = [
    path("stored/<path:name>", _stored_file_view),
    path("api/stored/<path:name>", _stored_file_view),
    path("", include("config.urls")),
]


@pytest.fixture
def key_old():
    return Fernet.generate_key().decode()


@pytest.fixture
def key_new():
    return Fernet.generate_key().decode()


def _raw(name):
    return Path(default_storage.path(name)).read_bytes()


def test_default_storage_is_the_encrypted_backend():
    assert isinstance(default_storage, EncryptedFileSystemStorage)


def test_round_trip_returns_the_plaintext_and_disk_holds_only_ciphertext(settings, key_old):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/contract.txt", ContentFile(CLAUSE))
    with default_storage.open(name) as fh:
        assert fh.read() == CLAUSE
    raw = _raw(name)
    assert raw.startswith(MAGIC)
    assert CLAUSE not in raw
    assert b"supplier" not in raw and b"personal" not in raw
    assert default_storage.size(name) == len(CLAUSE)


def test_closed_file_can_be_reopened_and_text_mode_gives_str(settings, key_old):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/c.txt", ContentFile(CLAUSE))
    fh = default_storage.open(name, "rb")
    fh.read()
    fh.close()
    assert fh.open().read() == CLAUSE
    with default_storage.open(name, "r") as text:
        assert text.read() == CLAUSE.decode()


def test_temporary_upload_file_is_encrypted_not_moved_in_as_plaintext(settings, key_old, tmp_path):
    """A large upload arrives as a temporary file; FileSystemStorage would move it in unencrypted."""
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = TemporaryUploadedFile("big.txt", "text/plain", len(CLAUSE), "utf-8")
    upload.write(CLAUSE)
    upload.flush()
    name = default_storage.save("uploads/big.txt", upload)
    assert CLAUSE not in _raw(name)
    with default_storage.open(name) as fh:
        assert fh.read() == CLAUSE


def test_in_memory_upload_is_encrypted(settings, key_old):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/small.txt", SimpleUploadedFile("small.txt", CLAUSE))
    assert CLAUSE not in _raw(name)
    assert default_storage.open(name).read() == CLAUSE


def test_without_keys_files_are_stored_as_they_are(settings):
    settings.FILE_ENCRYPTION_KEYS = []
    name = default_storage.save("uploads/plain.txt", ContentFile(CLAUSE))
    assert _raw(name) == CLAUSE
    assert default_storage.open(name).read() == CLAUSE
    assert default_storage.size(name) == len(CLAUSE)


def test_plain_file_from_before_encryption_is_still_readable(settings, key_old):
    settings.FILE_ENCRYPTION_KEYS = []
    name = default_storage.save("uploads/legacy.txt", ContentFile(CLAUSE))
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    assert default_storage.open(name).read() == CLAUSE


def test_wrong_key_raises_a_one_line_error_naming_the_setting(settings, key_old, key_new):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/k.txt", ContentFile(CLAUSE))
    settings.FILE_ENCRYPTION_KEYS = [key_new]
    with pytest.raises(FileDecryptionError) as err:
        default_storage.open(name)
    message = str(err.value)
    assert "FILE_ENCRYPTION_KEYS" in message and "\n" not in message
    assert "cannot be decrypted" in message


def test_encrypted_file_without_any_key_raises_a_clear_error(settings, key_old):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/k.txt", ContentFile(CLAUSE))
    settings.FILE_ENCRYPTION_KEYS = []
    with pytest.raises(FileDecryptionError, match="FILE_ENCRYPTION_KEYS is not set"):
        default_storage.open(name)


def test_malformed_key_is_a_configuration_error_with_the_fix(settings):
    settings.FILE_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="Fernet.generate_key"):
        default_storage.save("uploads/x.txt", ContentFile(CLAUSE))


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
def test_wrong_key_gives_a_clear_page_not_a_traceback(client, settings, key_old, key_new, debug):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/page.txt", ContentFile(CLAUSE))
    assert client.get(f"/stored/{name}").content == CLAUSE
    settings.FILE_ENCRYPTION_KEYS = [key_new]
    settings.DEBUG = debug
    response = client.get(f"/stored/{name}")
    assert response.status_code == 503
    body = response.content.decode()
    assert "cannot be decrypted" in body
    assert "Traceback" not in body and "FileDecryptionError" not in body
    assert key_old not in body and key_new not in body


@pytest.mark.urls(__name__)
def test_wrong_key_under_the_api_answers_json(client, settings, key_old, key_new):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("uploads/api.txt", ContentFile(CLAUSE))
    settings.FILE_ENCRYPTION_KEYS = [key_new]
    response = client.get(f"/api/stored/{name}")
    assert response.status_code == 503
    assert "cannot be decrypted" in response.json()["detail"]


def test_rotation_reencrypts_with_the_first_key_and_is_idempotent(settings, key_old, key_new):
    settings.FILE_ENCRYPTION_KEYS = []
    plain = default_storage.save("uploads/2026/plain.txt", ContentFile(b"plain " + CLAUSE))
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    old = default_storage.save("uploads/2025/old.txt", ContentFile(CLAUSE))
    settings.FILE_ENCRYPTION_KEYS = [key_new, key_old]
    current = default_storage.save("current.txt", ContentFile(b"current " + CLAUSE))

    out = StringIO()
    call_command("rotate_file_keys", stdout=out)
    assert "3 files: rotated 1, encrypted 1 (were plaintext), unchanged 1, failed 0" in out.getvalue()
    assert CLAUSE not in _raw(plain)

    settings.FILE_ENCRYPTION_KEYS = [key_new]  # the old key is gone: everything still reads
    assert default_storage.open(plain).read() == b"plain " + CLAUSE
    assert default_storage.open(old).read() == CLAUSE
    assert default_storage.open(current).read() == b"current " + CLAUSE

    before = {n: _raw(n) for n in (plain, old, current)}
    out = StringIO()
    call_command("rotate_file_keys", stdout=out)
    assert "3 files: rotated 0, encrypted 0 (were plaintext), unchanged 3, failed 0" in out.getvalue()
    assert {n: _raw(n) for n in before} == before  # nothing rewritten on the second run
    leftovers = [f for _, _, files in os.walk(settings.MEDIA_ROOT) for f in files if f.startswith(".rotate-")]
    assert leftovers == []


def test_rotation_dry_run_writes_nothing(settings, key_old, key_new):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    name = default_storage.save("a.txt", ContentFile(CLAUSE))
    before = _raw(name)
    settings.FILE_ENCRYPTION_KEYS = [key_new, key_old]
    out = StringIO()
    call_command("rotate_file_keys", "--dry-run", stdout=out)
    assert "would be rotated 1" in out.getvalue()
    assert _raw(name) == before


def test_rotation_reports_files_no_key_decrypts_and_leaves_them(settings, key_old, key_new):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    lost = default_storage.save("lost.txt", ContentFile(CLAUSE))
    before = _raw(lost)
    settings.FILE_ENCRYPTION_KEYS = [key_new]
    out = StringIO()
    with pytest.raises(CommandError, match="1 files could not be decrypted.*lost.txt"):
        call_command("rotate_file_keys", stdout=out)
    assert "failed 1" in out.getvalue()
    assert _raw(lost) == before


def test_rotation_without_keys_is_a_clear_command_error(settings):
    settings.FILE_ENCRYPTION_KEYS = []
    with pytest.raises(CommandError, match="FILE_ENCRYPTION_KEYS is not set"):
        call_command("rotate_file_keys")


def test_rotation_of_an_empty_media_root_reports_zero(settings, key_old):
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    out = StringIO()
    call_command("rotate_file_keys", stdout=out)
    assert out.getvalue().startswith("0 files:")


def test_rotation_never_follows_symlinks_out_of_media_root(settings, key_old, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(CLAUSE)
    settings.FILE_ENCRYPTION_KEYS = [key_old]
    default_storage.save("inside.txt", ContentFile(CLAUSE))
    media = Path(settings.MEDIA_ROOT)
    (media / "link.txt").symlink_to(outside)
    (media / "linkdir").symlink_to(tmp_path, target_is_directory=True)
    out = StringIO()
    call_command("rotate_file_keys", stdout=out)
    assert out.getvalue().startswith("1 files:")
    assert outside.read_bytes() == CLAUSE
