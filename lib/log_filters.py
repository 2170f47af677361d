"""Secrets that travel in URL paths (share links, password-reset links) kept out of the logs.

settings.LOGGING names the paths that carry one; this module knows none of them.
"""

import logging
import re
from collections.abc import Iterable

# One path segment inside a log line: it ends at a slash, a space, a quote, "?" or "#".
SEGMENT = r"[^/\s\"'?#]+"
# A path starts a log line, follows a space, quote, bracket or "=", or follows a full URL's host;
# "/checklists/1/share/5/" holds no share path, since "/share/" follows a segment there.
PATH_START = r"(?:^|(?<=[\s\"'(=])|(?<=://)[^/\s\"']+)"


def _hide_secret(match: re.Match) -> str:
    start, end = match.start("secret") - match.start(), match.end("secret") - match.start()
    return f"{match[0][:start]}[hidden]{match[0][end:]}"


class HideSecretsInPaths(logging.Filter):
    """Replaces the secret segment of the given paths with [hidden] in every log message.

    Each path is a regular expression in which <secret> stands for the secret segment and
    <segment> for any other one, e.g. "/share/<secret>". The rest of the line stays as it was.
    """

    def __init__(self, paths: Iterable[str], name: str = ""):
        super().__init__(name)
        self.paths = [
            re.compile(
                PATH_START
                + path.replace("<secret>", f"(?P<secret>{SEGMENT})").replace("<segment>", SEGMENT)
            )
            for path in paths
        ]

    def filter(self, record):
        message = record.getMessage()
        hidden = message
        for path in self.paths:
            hidden = path.sub(_hide_secret, hidden)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
