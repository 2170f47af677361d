"""The journal navigation: its links, and which one is the page the patient is on."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (label, URL name, the start of the view names that belong to the link's section)
LINKS = [
    (_("Dashboard"), "journal:dashboard", "journal:dashboard"),
    (_("Entries"), "journal:entries_list", "journal:entries_"),
    (_("Side effects"), "journal:side-effects_list", "journal:side-effects_"),
    (_("Blood pressure"), "journal:blood-pressure_list", "journal:blood-pressure_"),
    (_("Infusions"), "journal:infusions_list", "journal:infusions_"),
    (_("Medications"), "journal:medications_list", "journal:medications_"),
    (_("Questionnaires"), "journal:questionnaires_list", "journal:questionnaires_"),
    (_("Before and after"), "journal:before_after", "journal:before_after"),
    (_("Checklists"), "checklists:list", "checklists:"),
    (_("Export"), "journal:export", "journal:export"),
    (_("Reminders"), "journal:reminders", "journal:reminders"),
    (_("Care team"), "journal:care-team", "journal:care-team"),
    (_("My account"), "account_settings", "account_settings"),
]


@dataclass
class NavLink:
    label: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def journal_nav_links(context) -> list[NavLink]:
    """Every link of the journal navigation; `current` marks the section of the page shown."""
    match = context["request"].resolver_match
    view_name = match.view_name if match else ""
    return [
        NavLink(label, reverse(url_name), view_name.startswith(section))
        for label, url_name, section in LINKS
    ]
