import html as html_lib
import importlib
from html.parser import HTMLParser

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol",
    "p", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
HIDDEN_TAGS = {"script", "style", "title", "head"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in HIDDEN_TAGS
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.hidden -= tag in HIDDEN_TAGS
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    """The text a reader sees, with whitespace collapsed as a browser would show it."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


class _FormFields(HTMLParser):
    """Collects what a browser would submit for the form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            checkable = attrs.get("type") in {"checkbox", "radio"}
            if checkable and "checked" not in attrs:
                return
            self.data.setdefault(attrs["name"], []).append(
                attrs.get("value", "on" if checkable else "")
            )
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = [""]
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data


def field_html(html, name):
    """The HTML of one form field's block: its label, input, help text and errors."""
    start = html.index(f'<div id="div_id_{name}"')
    following = [
        position
        for position in (html.find('<div id="div_id_', start + 1), html.find("</form>", start))
        if position != -1
    ]
    return html[start : min(following)]


def form_data(html, form_id):
    """The data a browser would post from a form, as a dict for Django's test client."""
    parser = _FormFields(form_id)
    parser.feed(html)
    return {name: values if len(values) > 1 else values[0]
            for name, values in parser.data.items() if values}  # fmt: skip


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _AlertText(HTMLParser):
    """Collects the inner HTML of every element with role="alert"."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.alerts = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.alerts[-1].append(self.get_starttag_text())
            self.depth += tag not in VOID_TAGS
        elif tag not in VOID_TAGS and dict(attrs).get("role") == "alert":
            self.depth = 1
            self.alerts.append([])

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.alerts[-1].append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID_TAGS:
            self.depth -= 1
            if self.depth:
                self.alerts[-1].append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.alerts[-1].append(html_lib.escape(data))


def alert_texts(html):
    """The visible text of each role="alert" element on the page."""
    parser = _AlertText()
    parser.feed(html)
    return [visible_text("".join(parts)) for parts in parser.alerts]


def _pattern_params(pattern):
    if isinstance(pattern, RoutePattern):
        return set(pattern.converters)
    return set(pattern.regex.groupindex)


def named_routes(patterns=None, namespace="", params=frozenset()):
    """Every named route of the URLconf: (namespace, name, URL parameters, view callback).

    Privacy tests walk this, so a route added later can't escape their checks.
    """
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = params | _pattern_params(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from named_routes(pattern.url_patterns, inner, frozenset(here))
        elif pattern.name:
            yield namespace, pattern.name, frozenset(here), pattern.callback


def admin_change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def admin_form(client, obj):
    """The data the admin change form of obj would post as it stands."""
    html = client.get(admin_change_url(obj)).content.decode()
    data = form_data(html, f"{obj._meta.model_name}_form")
    assert data, "the admin change form was not found"
    return data


def post_admin_change(client, obj, **changes):
    """Post obj's admin change form with some fields changed, as an editor would."""
    data = admin_form(client, obj)
    for name, value in changes.items():
        # a translated text's English is its _en field (education/translation.py)
        data[name if name in data or f"{name}_en" not in data else f"{name}_en"] = value
    return client.post(admin_change_url(obj), data)


def cache_control(response):
    """The directives of the response's Cache-Control header, e.g. {"private", "no-store"}."""
    header = response.get("Cache-Control", "")
    return {directive.strip().split("=")[0] for directive in header.split(",") if directive}


def sign_in_staff(client, user):
    """Signs a staff member in as the admin and the clinician pages require: with their second
    factor verified (the two-factor rule, issue 18). Returns their authenticator device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Authenticator app")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def run_data_migration(app: str, name: str) -> None:
    """What `migrate` does to the rows already there when it reaches the named migration (its
    texts_on_one_line step), with the models as that migration sees them."""
    state = MigrationExecutor(connection).loader.project_state((app, name))
    importlib.import_module(f"{app}.migrations.{name}").texts_on_one_line(state.apps, None)
