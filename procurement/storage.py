"""Encryption at rest for uploaded contracts (issue 6, "Files at rest can be encrypted").

`EncryptedFileSystemStorage` is the project's default storage (`STORAGES["default"]`). With
`FILE_ENCRYPTION_KEYS` set (comma-separated Fernet keys from the environment; the first encrypts, all
decrypt) every file saved through Django's storage API or a `FileField` is written to disk as
`MAGIC + Fernet token` (AES-128-CBC + HMAC-SHA256, from the `cryptography` package) and decrypted
transparently by `open()`. With no key set it behaves exactly like `FileSystemStorage`.

Files written before encryption was switched on (no `MAGIC` prefix) are still read as they are, and
`storage_rotate_keys` (the `rotate_file_keys` command) encrypts them. A file that no configured key can
decrypt raises `FileDecryptionError`, whose message says what to do; `config.middleware` turns it into a
clear error page instead of a traceback.

Limits: a file is encrypted and decrypted whole in memory (uploads are capped by UPLOAD_MAX_BYTES,
20 MB by default); names, sizes on disk and timestamps are not hidden.
"""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils.deconstruct import deconstructible

#: Prefix of every encrypted file on disk. Starts with NUL so no text upload can begin with it by accident.
MAGIC = b"\x00apc-fernet-v1\n"


class FileDecryptionError(Exception):
    """A stored file cannot be decrypted with the configured keys. str() is one line: what and what to do."""


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    try:
        return tuple(Fernet(key.strip().encode()) for key in keys)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FILE_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes). "
            "Generate one with: python -c \"from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())\""
        ) from exc


def configured_keys() -> tuple[str, ...]:
    """Return the configured Fernet keys, newest (encrypting) first; empty when encryption is off."""
    keys = getattr(settings, "FILE_ENCRYPTION_KEYS", ()) or ()
    if isinstance(keys, str):
        keys = keys.split(",")
    return tuple(k.strip() for k in keys if k and k.strip())


def is_encrypted(raw: bytes) -> bool:
    """Tell whether the bytes read from disk are an encrypted file (start with `MAGIC`)."""
    return raw.startswith(MAGIC)


class DecryptedFile(File):
    """An in-memory File of a stored file's plaintext that can be closed and reopened like a disk file."""

    def __init__(self, storage: EncryptedFileSystemStorage, name: str, mode: str = "rb"):
        self._storage = storage
        self.mode = mode
        super().__init__(self._buffer(name, mode), name=name)

    def _buffer(self, name: str, mode: str):
        data = self._storage.read_plaintext(name)
        return io.BytesIO(data) if "b" in mode else io.StringIO(data.decode("utf-8"))

    def open(self, mode=None, *args, **kwargs):
        """Rewind when open; read the stored file again when closed (as File.open does for disk files)."""
        if not self.closed:
            self.seek(0)
        else:
            self.mode = mode or self.mode
            self.file = self._buffer(self.name, self.mode)
        return self


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that encrypts file contents with MultiFernet when FILE_ENCRYPTION_KEYS is set.

    Callers use the ordinary storage API (`save`, `open`, `delete`, `exists`, `size`) or a FileField;
    `open()` returns the plaintext. Only read modes are supported by `open()`: write through `save()`.
    Raises `FileDecryptionError` when a stored file cannot be decrypted.
    """

    def _multifernet(self) -> MultiFernet | None:
        keys = configured_keys()
        return MultiFernet(list(_fernets(keys))) if keys else None

    def _read_raw(self, name: str) -> bytes:
        with open(self.path(name), "rb") as fh:
            return fh.read()

    def read_plaintext(self, name: str) -> bytes:
        """Return the decrypted contents of `name` (plain files are returned as they are)."""
        raw = self._read_raw(name)
        if not is_encrypted(raw):
            return raw
        crypto = self._multifernet()
        if crypto is None:
            raise FileDecryptionError(
                f"Stored file {name!r} is encrypted but FILE_ENCRYPTION_KEYS is not set: "
                "set the key(s) it was encrypted with in the environment and restart."
            )
        try:
            return crypto.decrypt(raw[len(MAGIC):])
        except InvalidToken:
            raise FileDecryptionError(
                f"Stored file {name!r} cannot be decrypted with any key in FILE_ENCRYPTION_KEYS: "
                "add the key it was encrypted with (keep old keys until rotate_file_keys has run)."
            ) from None

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+x"):
            if self._multifernet() is None:
                return super()._open(name, mode)
            raise ValueError("EncryptedFileSystemStorage opens files for reading only; write with save().")
        return DecryptedFile(self, name, mode)

    def _save(self, name, content):
        crypto = self._multifernet()
        if crypto is None:
            return super()._save(name, content)
        if hasattr(content, "seek"):
            content.seek(0)
        plaintext = b"".join(
            chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in content.chunks()
        )
        # A ContentFile, never the upload's temporary file: FileSystemStorage would move that plaintext
        # file into MEDIA_ROOT as it is.
        return super()._save(name, ContentFile(MAGIC + crypto.encrypt(plaintext)))

    def size(self, name):
        """Return the plaintext size in bytes (decrypts encrypted files to count)."""
        if self._multifernet() is None:
            return super().size(name)
        return len(self.read_plaintext(name))


@dataclass
class RotationReport:
    """Counts from one `storage_rotate_keys` run; `failed` lists the names no key could decrypt."""

    rotated: int = 0  # were encrypted with an older key, now with the first key
    encrypted: int = 0  # were plaintext, now encrypted with the first key
    unchanged: int = 0  # already encrypted with the first key
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of files looked at."""
        return self.rotated + self.encrypted + self.unchanged + len(self.failed)


def _walk(storage: FileSystemStorage):
    """Yield the storage names of regular files under the storage root; symlinks are never followed."""
    root = os.path.abspath(storage.location)
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs.sort()
        for filename in sorted(files):
            full = os.path.join(directory, filename)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            yield os.path.relpath(full, root).replace(os.sep, "/")


def _replace_atomically(path: str, data: bytes) -> None:
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".rotate-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, os.stat(path).st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def storage_rotate_keys(*, storage: FileSystemStorage | None = None, dry_run: bool = False) -> RotationReport:
    """Re-encrypt every file under the storage's root with the first key of FILE_ENCRYPTION_KEYS.

    Idempotent: files already encrypted with the first key are left alone; plaintext files are encrypted;
    each rewrite is atomic (temporary file + rename in the same folder). Files that no key decrypts are
    listed in `failed` and left untouched. Raises ImproperlyConfigured when no key is set.
    """
    storage = storage or default_storage
    keys = configured_keys()
    if not keys:
        raise ImproperlyConfigured("FILE_ENCRYPTION_KEYS is not set: there is no key to encrypt with.")
    fernets = _fernets(keys)
    primary, everything = fernets[0], MultiFernet(list(fernets))
    report = RotationReport()
    if not os.path.isdir(storage.location):
        return report
    for name in _walk(storage):
        if os.path.basename(name).startswith(".rotate-"):
            continue  # a leftover of an interrupted run; never a stored upload
        path = storage.path(name)
        with open(path, "rb") as fh:
            raw = fh.read()
        if is_encrypted(raw):
            token = raw[len(MAGIC):]
            try:
                primary.decrypt(token)
                report.unchanged += 1
                continue
            except InvalidToken:
                pass
            try:
                new = everything.rotate(token)
            except InvalidToken:
                report.failed.append(name)
                continue
            report.rotated += 1
        else:
            new = primary.encrypt(raw)
            report.encrypted += 1
        if not dry_run:
            _replace_atomically(path, MAGIC + new)
    return report
