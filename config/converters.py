"""URL path converters shared by the API routes (registered once, on import)."""
from django.urls import register_converter


class IdConverter:
    """A database id in a URL: 1 to 18 digits. Longer numbers never reach the database, where SQLite
    raises OverflowError past a signed 64-bit integer (a 500 instead of a 404). Issue 5, found by the
    schemathesis run."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class TopicIdConverter:
    """A catalogue topic id such as "input.no_training": lower-case letters, digits, "_", "." and "-".
    Anything else (a NUL byte, which PostgreSQL refuses in a query) never reaches the database."""

    regex = "[a-z0-9_.-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
register_converter(TopicIdConverter, "topic")
