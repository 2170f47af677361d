"""Getting a checklist out of the portal: share links for the clinician, PDF, calendar file."""

import datetime
import secrets
import zoneinfo

import weasyprint
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from icalendar import Alarm, Calendar, Event

from journal.models import AccountPreferences, Checklist, ShareLink, ShareView
from lib.mail import portal_url

SIGNER = signing.Signer(salt="journal.share-link")


def create_share_link(
    checklist: Checklist, *, lifetime: datetime.timedelta = ShareLink.DEFAULT_LIFETIME
) -> ShareLink:
    """A new link with a 256-bit random token, valid for `lifetime` unless revoked."""
    return ShareLink.objects.create(
        checklist=checklist,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + lifetime,
    )


def share_path(link: ShareLink) -> str:
    """The link's address: the token, signed, so a tampered link is refused before any lookup."""
    return reverse("share", kwargs={"token": SIGNER.sign(link.token)})


def open_share_link(signed_token: str, *, counted: bool) -> ShareLink | None:
    """The live link a signed token names, with this opening logged for the patient to see if it
    is `counted` (a clinician reading the page, not a client only checking the link); None,
    logging nothing, if the token was tampered with or the link is unknown, expired or revoked."""
    try:
        token = SIGNER.unsign(signed_token)
    except signing.BadSignature:
        return None
    link = ShareLink.objects.select_related("checklist__user").filter(token=token).first()
    if link is None or not link.is_active:
        return None
    if counted:
        ShareView.objects.create(link=link)
    return link


def revoke_share_link(link: ShareLink) -> None:
    """Nobody can open the link any more; revoking it again keeps the first time."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def pdf_from_html(html: str) -> bytes:
    """Render a self-contained HTML page (inline CSS, no external files) to PDF bytes."""
    return weasyprint.HTML(string=html).write_pdf()


# Reminders before a timed appointment, from its start: a day and two hours before.
# The words are translated when the file is made (gettext_noop marks them for the catalogue).
TIMED_REMINDERS = [
    (datetime.timedelta(days=-1), gettext_noop("%(summary)s tomorrow")),
    (datetime.timedelta(hours=-2), gettext_noop("%(summary)s in two hours")),
]
# An appointment without a time is an all-day event starting at local midnight: reminders at
# 09:00 the day before and at 08:00 on the day, so none rings in the night.
ALL_DAY_REMINDERS = [
    (datetime.timedelta(hours=-15), gettext_noop("%(summary)s tomorrow")),
    (datetime.timedelta(hours=8), gettext_noop("%(summary)s today")),
]


def appointment_calendar(checklist: Checklist, *, time_zone: zoneinfo.ZoneInfo) -> bytes:
    """An iCalendar (.ics) file with the appointment and a link to its checklist: not the
    questions, which can quote the patient's answers, and calendars are synced and shared.

    The date and time are what the patient typed, in their own zone: the start carries the
    zone's TZID, described by a VTIMEZONE, so every calendar app shows the time they typed.
    Two reminders go with it. Its words are in the active language: the page's, for the patient's
    own download (the view); appointment_calendar_for_patient for one made outside a request."""
    event = Event()
    event.add("uid", f"checklist-{checklist.pk}@ketamine-adhd-portal")
    event.add("dtstamp", timezone.now())
    if checklist.appointment_time:
        start = datetime.datetime.combine(
            checklist.appointment_date, checklist.appointment_time, tzinfo=time_zone
        )
        event.add("dtstart", start)
        event.add("dtend", start + datetime.timedelta(hours=1))
        reminders = TIMED_REMINDERS
    else:
        event.add("dtstart", checklist.appointment_date)
        event.add("dtend", checklist.appointment_date + datetime.timedelta(days=1))
        reminders = ALL_DAY_REMINDERS
    if checklist.clinician:
        summary = gettext("Consultation with %(clinician)s") % {"clinician": checklist.clinician}
    else:
        summary = gettext("Consultation")
    event.add("summary", summary)
    if checklist.clinic:
        event.add("location", checklist.clinic)
    checklist_url = portal_url(checklist.get_absolute_url())
    event.add("url", checklist_url)
    lines = [
        gettext("Bring your visit-prep sheet."),
        gettext("Your questions are on your checklist (sign in to see them): %(url)s")
        % {"url": checklist_url},
    ]
    event.add("description", "\n".join(lines))
    for offset, when in reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", offset)
        alarm.add("description", gettext(when) % {"summary": summary})
        event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic patient portal//Consultation checklist//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    # The zone's rules for a year either side of the appointment, not for decades.
    year = datetime.timedelta(days=366)
    calendar.add_missing_timezones(
        first_date=checklist.appointment_date - year, last_date=checklist.appointment_date + year
    )
    return calendar.to_ical()


def appointment_calendar_for_patient(checklist: Checklist) -> bytes:
    """The calendar file made outside a request (a task, an e-mail): in the patient's language
    and their own time zone."""
    with translation.override(AccountPreferences.language_of(checklist.user)):
        zone = zoneinfo.ZoneInfo(AccountPreferences.time_zone_of(checklist.user))
        return appointment_calendar(checklist, time_zone=zone)
