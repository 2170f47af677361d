"""URL converters for both apps.

Database ids fit in 64 bits; a longer number in a URL is a 404, not a crash.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


ID_PATTERN = IdConverter.regex
