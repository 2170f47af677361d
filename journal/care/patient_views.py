"""The patient's consent page: connect to a clinic, choose what its care team sees, change it,
withdraw; with the consent history and the access log. The rules are journal.care.rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from . import rules, selectors
from .forms import ConnectForm, ScopesForm


def _connect(request, form) -> bool:
    """Connects with the form's code and scopes; a refusal goes to the form's field."""
    try:
        connection = rules.connect(
            user=request.user,
            invitation_code=form.cleaned_data["invitation_code"],
            scopes=form.cleaned_data["scopes"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request, gettext("You are connected to %(clinic)s.") % {"clinic": connection.clinic}
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def care_team(request):
    form = ConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _connect(request, form):
        return redirect("journal:care-team")
    user = request.user
    return render(
        request,
        "journal/care/care_team.html",
        {
            "form": form,
            "connections": selectors.open_connections(user=user),
            "history": selectors.consent_history(user=user),
            "accesses": selectors.access_log(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connect_link(request, code):
    """The link a clinic gives: the code filled in, connecting only when the patient confirms."""
    form = ConnectForm(request.POST or None, initial={"invitation_code": code})
    if request.method == "POST" and form.is_valid() and _connect(request, form):
        return redirect("journal:care-team")
    return render(request, "journal/care/connect.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_scopes(request, pk):
    connection = selectors.open_connection(user=request.user, pk=pk)
    form = ScopesForm(request.POST or None, initial={"scopes": connection.scopes})
    if request.method == "POST" and form.is_valid():
        try:
            rules.change_consent(connection=connection, scopes=form.cleaned_data["scopes"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("%(clinic)s now sees what you chose, from now on.")
                % {"clinic": connection.clinic},
            )
            return redirect("journal:care-team")
    return render(request, "journal/care/change.html", {"form": form, "connection": connection})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """Asks first (GET); the POST stops the sharing at once."""
    connection = selectors.open_connection(user=request.user, pk=pk)
    if request.method == "POST":
        rules.withdraw(connection=connection)
        messages.success(
            request,
            gettext("You stopped sharing with %(clinic)s.") % {"clinic": connection.clinic},
        )
        return redirect("journal:care-team")
    return render(request, "journal/care/withdraw.html", {"connection": connection})
