"""Keep contract text and generator answers out of the logs (issue 6, "No contract text or answers in logs").

The rule for code: **log ids and counts, never document text or answers** —
`log.info("scan %s: %d findings", scan.pk, n)`, never the excerpt, the evidence or the answer values.

This module is the safety net behind that rule, not a replacement for it:

- Every log record in the process is a `RedactingLogRecord` (installed by `configure`, which Django calls
  through `LOGGING_CONFIG`): its message is formatted with known-sensitive keys redacted from dict
  arguments and is cut to `LOG_MAX_MESSAGE_CHARS` characters (default 300), so a stray excerpt leaves at
  most a short head in the log. This reaches every handler, including ones added later (pytest's caplog,
  Celery's worker handlers, an operator's file handler).
- `RedactSensitiveFilter` (on the handlers in `LOGGING`) also replaces known-sensitive attributes passed
  with `extra={...}` and pre-renders the message, so the redacted text is what every later handler sees.

- The same filter cuts every line of a traceback to that length (an exception message quoting a document
  keeps only its head).

Celery workers keep these handlers (`CELERY_WORKER_HIJACK_ROOT_LOGGER = False` in settings).

Limits: a handler added without the filter formats tracebacks itself, uncut; exceptions raised by our code
must therefore carry ids and one-line reasons, never document text.
"""
from __future__ import annotations

import logging
import logging.config
import os
from collections.abc import Mapping

#: Keys whose values are document text, evidence or generator answers. Matched case-insensitively
#: against dict keys in log arguments and against `extra=` attribute names.
SENSITIVE_KEYS = frozenset({
    "text", "document_text", "extracted_text", "plain_text", "content", "body", "excerpt", "evidence",
    "quote", "snippet", "clause_text", "clause_texts", "answers", "answer", "contract_text", "raw",
    "password", "token", "secret",
})
REDACTED = "[redacted]"
DEFAULT_MAX_MESSAGE_CHARS = 300

_MAX_CHARS = int(os.environ.get("LOG_MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS))
# LogRecord's own attributes are never treated as `extra=` payload.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("x", logging.INFO, "x", 0, "", (), None))) | {"message", "asctime"}


def redact_value(value, *, depth: int = 0):
    """Return `value` with the values of sensitive keys replaced by ``"[redacted]"``, recursively.

    Mappings, lists and tuples are copied (never mutated); other values are returned as they are. Nesting
    deeper than 5 levels is replaced wholesale, so a pathological structure cannot slow logging down.
    """
    if depth > 5:
        return REDACTED
    if isinstance(value, Mapping):
        return {k: (REDACTED if str(k).lower() in SENSITIVE_KEYS else redact_value(v, depth=depth + 1))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, depth=depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_value(v, depth=depth + 1) for v in value)
    return value


def truncate_message(message: str, max_chars: int | None = None) -> str:
    """Cut `message` to `max_chars` characters (default LOG_MAX_MESSAGE_CHARS) and say how much was dropped."""
    limit = _MAX_CHARS if max_chars is None else max_chars
    if len(message) <= limit:
        return message
    dropped = len(message) - limit
    return f"{message[:limit]}… [{dropped} chars redacted: log ids and counts, never document text]"


class RedactingLogRecord(logging.LogRecord):
    """A LogRecord whose `getMessage()` redacts sensitive dict keys in the arguments and truncates."""

    def getMessage(self) -> str:  # noqa: N802 - the logging API's name
        msg = str(self.msg)
        args = self.args
        if args:
            args = redact_value(args) if isinstance(args, Mapping) else tuple(redact_value(a) for a in args)
            try:
                msg = msg % args
            except (TypeError, ValueError):  # a malformed call must not lose the record; logging would raise
                msg = f"{msg} {args!r}"
        return truncate_message(msg)


def _record_factory(*args, **kwargs) -> logging.LogRecord:
    return RedactingLogRecord(*args, **kwargs)


class RedactSensitiveFilter(logging.Filter):
    """Redact `extra=` attributes with sensitive names and freeze the redacted, truncated message.

    Always returns True: records are rewritten, never dropped (a dropped error is worse than a short one).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for key in list(vars(record)):
            if key not in _RECORD_ATTRS and key.lower() in SENSITIVE_KEYS:
                setattr(record, key, REDACTED)
        message = RedactingLogRecord.getMessage(record)
        record.msg, record.args = message, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse a cached exc_text: cut each traceback line, so an exception message that
            # quotes a document keeps only its head.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = "\n".join(truncate_message(line) for line in text.splitlines())
        return True


class DropClientErrorTraceback(logging.Filter):
    """Drop the traceback from `django.request` records about 4xx answers (403 PermissionDenied, 404).

    Django logs "Forbidden (Permission denied): /path" with `exc_info` set to the PermissionDenied it
    caught; a refused request is the user's mistake, not a server fault, so the warning line is enough.
    5xx records keep their traceback. Always returns True: the record is kept, only shortened.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            record.exc_info, record.exc_text = None, None
        return True


def install_record_factory() -> None:
    """Make every new LogRecord in this process a `RedactingLogRecord` (idempotent)."""
    if logging.getLogRecordFactory() is not _record_factory:
        logging.setLogRecordFactory(_record_factory)


def configure(logging_settings: dict) -> None:
    """Apply Django's `LOGGING` dict and install the redacting record factory.

    Django calls this once at start-up because `LOGGING_CONFIG = "config.logging.configure"`.
    """
    install_record_factory()
    logging.config.dictConfig(logging_settings)
