"""Patient accounts: sign up, and delete the account with every record in it."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import include, path
from django.views.decorators.debug import sensitive_post_parameters

from .forms import DeleteAccountForm


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("journal:dashboard")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your journal is ready.")
        return redirect("journal:dashboard")
    return render(request, "registration/signup.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
def delete_account(request):
    """Asks for the password, then removes the user and, by cascade, every record they own."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        with transaction.atomic():
            user.delete()
        messages.success(request, "Your account and all your records are deleted.")
        return redirect("home")
    return render(request, "registration/delete_account.html", {"form": form})


urlpatterns = [
    path("signup/", signup, name="signup"),
    path("delete/", delete_account, name="delete_account"),
    path("", include("django.contrib.auth.urls")),
]
