"""Share links are secrets: this filter keeps their tokens out of every log line."""

import logging
import re

SHARE_PATH = re.compile(r"/share/[^/\s\"']+")


class HideShareTokens(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if "/share/" in message:
            record.msg, record.args = SHARE_PATH.sub("/share/[hidden]", message), ()
        return True
