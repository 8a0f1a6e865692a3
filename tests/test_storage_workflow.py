"""Encryption at rest through the real upload → scan → download path (procurement services and views)."""
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from procurement import scanning
from procurement.roles import MANAGER, roles_ensure
from procurement.storage import MAGIC

# Written for this test; not taken from any real contract.
TERMS = b"1. Data\nThe provider deletes customer prompts within seven days and never trains on them.\n"


@pytest.fixture
def manager(db):
    roles_ensure()
    user = get_user_model().objects.create_user("boss", password="pw-boss-2026")
    user.groups.add(Group.objects.get(name=MANAGER))
    return user


@pytest.fixture
def seen_by_extractor(monkeypatch):
    """Record the bytes the scan reads, and stop the scan there (the checker is not under test)."""
    seen = []

    def extract(data, filename):
        seen.append(data)
        raise scanning.ScanInputError("stopped by the test after reading the file")

    monkeypatch.setattr(scanning, "extract", extract)
    monkeypatch.setattr(scanning, "checker_version", lambda: "test-1")
    return seen


def test_uploaded_contract_is_encrypted_on_disk_and_plain_to_scan_and_download(
        settings, manager, seen_by_extractor, client, django_capture_on_commit_callbacks):
    from procurement import services

    settings.FILE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.contract_upload(vendor_name="Example Vendor", title="Assistant", profile="auto",
                                          data=TERMS, filename="terms.txt", actor=manager)
    version = result.version
    raw = Path(version.file.path).read_bytes()
    assert raw.startswith(MAGIC) and TERMS not in raw and b"prompts" not in raw
    assert seen_by_extractor == [TERMS]  # the scan read the plaintext through the storage

    client.force_login(manager)
    response = client.get(reverse("procurement:contract_file", args=[result.contract.pk, version.number]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TERMS
    assert int(response["Content-Length"]) == len(TERMS)
