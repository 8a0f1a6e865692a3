"""No contract text or answers in logs: config/logging.py (issue 6)."""
import io
import logging

import pytest

from config.logging import (
    DEFAULT_MAX_MESSAGE_CHARS,
    REDACTED,
    RedactingLogRecord,
    RedactSensitiveFilter,
    truncate_message,
)

# Written for these tests; a long run of contract-like prose ending in a marker we can look for.
EXCERPT = ("The processor shall notify the controller of any personal data breach without undue delay. " * 30
           + "SECRET-TAIL-MARKER")


@pytest.mark.parametrize("logger_name", ["procurement.services", "clauses.nlp.check", "celery.app.trace", "pdfminer"])
def test_long_contract_excerpt_is_cut_before_any_handler_sees_it(caplog, logger_name):
    with caplog.at_level(logging.INFO):
        logging.getLogger(logger_name).warning("extraction failed for document %s: %s", 42, EXCERPT)
    record = caplog.records[-1]
    message = record.getMessage()
    assert message.startswith("extraction failed for document 42: The processor shall")
    assert "SECRET-TAIL-MARKER" not in message
    assert "SECRET-TAIL-MARKER" not in caplog.text
    assert "chars redacted: log ids and counts, never document text" in message
    assert len(message) < DEFAULT_MAX_MESSAGE_CHARS + 100


def test_sensitive_keys_in_dict_arguments_are_redacted(caplog):
    answers = {"vendor_name": "Smith & Jones Ltd", "fee": "12,000"}
    with caplog.at_level(logging.INFO):
        logging.getLogger("clauses.assembly").info(
            "draft generated %s", {"draft_id": 7, "answers": answers, "findings": [{"id": 3, "evidence": "x y"}]}
        )
    message = caplog.records[-1].getMessage()
    assert "'draft_id': 7" in message and "'id': 3" in message
    assert message.count(REDACTED) == 2
    assert "Smith" not in message and "x y" not in message


def test_named_mapping_arguments_are_redacted(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("procurement").info("scan %(scan)s text=%(text)s", {"scan": 9, "text": "clause words"})
    assert caplog.records[-1].getMessage() == f"scan 9 text={REDACTED}"


def test_sensitive_extra_attributes_are_redacted_on_the_console_handler():
    console = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RedactSensitiveFilter) for f in h.filters))
    stream = io.StringIO()
    old = console.setStream(stream)
    old_formatter = console.formatter
    console.setFormatter(logging.Formatter("%(message)s|%(evidence)s|%(scan_id)s"))
    try:
        logging.getLogger("procurement.tasks").error(
            "scan %s failed: %s", 5, EXCERPT, extra={"evidence": "the vendor may keep data", "scan_id": 5}
        )
    finally:
        console.setStream(old)
        console.setFormatter(old_formatter)
    line = stream.getvalue()
    assert line.startswith("scan 5 failed: The processor")
    assert f"|{REDACTED}|5" in line
    assert "the vendor may keep data" not in line and "SECRET-TAIL-MARKER" not in line


def test_filter_rewrites_the_record_once_and_keeps_short_messages_exact():
    record = RedactingLogRecord("procurement", logging.INFO, __file__, 1, "scan %s: %d findings", (12, 4), None)
    assert RedactSensitiveFilter().filter(record) is True
    assert (record.msg, record.args) == ("scan 12: 4 findings", ())
    assert record.getMessage() == "scan 12: 4 findings"


def test_malformed_logging_call_keeps_the_record():
    record = RedactingLogRecord("procurement", logging.INFO, __file__, 1, "scan %s %s", (1,), None)
    assert record.getMessage().startswith("scan %s %s (1,)")


def test_truncate_message_limits():
    assert truncate_message("a" * 10, 10) == "a" * 10
    assert truncate_message("a" * 11, 10) == "a" * 10 + "… [1 chars redacted: log ids and counts, never document text]"


def test_every_record_in_the_process_is_redacting():
    record = logging.getLogger("anything").makeRecord("anything", logging.INFO, __file__, 1, "x", (), None)
    assert isinstance(record, RedactingLogRecord)


def test_traceback_lines_quoting_a_document_are_cut_on_the_console_handler():
    console = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RedactSensitiveFilter) for f in h.filters))
    stream = io.StringIO()
    old = console.setStream(stream)
    try:
        try:
            raise ValueError(EXCERPT)
        except ValueError:
            logging.getLogger("procurement.services").exception("scan %s failed", 8)
    finally:
        console.setStream(old)
    output = stream.getvalue()
    assert "scan 8 failed" in output and "Traceback (most recent call last)" in output
    assert "ValueError: The processor shall notify" in output
    assert "SECRET-TAIL-MARKER" not in output
