"""E-mail the portal sends (reminders, editorial notices): a plain-text part and an HTML part
from two templates, absolute links to the portal, and a one-click unsubscribe (RFC 8058) where
the e-mail is one a person chose to get. Where it goes is settings.EMAIL_BACKEND: the console in
development, the test outbox in tests, SMTP in production (EMAIL_HOST and the rest)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def portal_url(path: str) -> str:
    """The absolute address of a page, for links in e-mails (there is no request to ask)."""
    return settings.PORTAL_URL.rstrip("/") + path


def send_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    unsubscribe_url: str = "",
    message_key: str = "",
) -> None:
    """Sends `template`.txt and `template`.html rendered with context. message_key, when given,
    names one notice (e.g. "reminder-42") and makes its Message-ID, the same on every attempt to
    send it, so a mail system that receives a retry can tell it is the same message."""
    context = {**context, "unsubscribe_url": unsubscribe_url}
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message_key:
        headers["Message-ID"] = f"<{message_key}@{urlsplit(settings.PORTAL_URL).hostname}>"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=to,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
