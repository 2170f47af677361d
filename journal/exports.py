"""Every record a patient owns, as CSV and JSON, and their health record as FHIR R4 (fhir.py)."""

import csv
import datetime
import json
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from lib.downloads import as_download

from . import fhir
from .models import (
    BloodPressureReading,
    Checklist,
    ChecklistItem,
    InfusionSession,
    JournalEntry,
    Medication,
    QuestionnaireResponse,
    Record,
    SideEffectReport,
    VisitPlan,
)

EXPORTED_MODELS = [
    JournalEntry,
    SideEffectReport,
    InfusionSession,
    BloodPressureReading,
    Medication,
    QuestionnaireResponse,
]
MODELS_BY_KIND = {model.kind: model for model in EXPORTED_MODELS}
# Excel reads a CSV file as UTF-8 only when it starts with this mark (else "MÃ©thylphÃ©nidate").
UTF8_MARK = "\ufeff"
# Spreadsheets run cells that start with these as formulas; a leading quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# What an export leaves out: how the portal keeps track, not what the patient wrote.
PORTAL_INTERNALS = {"user", "removed_source_keys", "checklist", "source_key", "written_by"}


def export_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.fields if field.name not in PORTAL_INTERNALS]


def _value(record, model_field):
    """A field's value for the files; a moment in the patient's own zone, with its offset."""
    if isinstance(model_field, models.ForeignKey):
        related = getattr(record, model_field.name)
        return str(related) if related is not None else None
    value = getattr(record, model_field.name)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value)
    return value


def records_as_dicts(*, model: type[Record], user: User) -> list[dict]:
    fields = export_fields(model)
    records = model.objects.owned_by(user).order_by("pk")
    related = [field.name for field in fields if isinstance(field, models.ForeignKey)]
    return [
        {field.name: _value(record, field) for field in fields}
        for record in records.select_related(*related)
    ]


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not _is_number(value) else text


def _is_number(value):
    return isinstance(value, int | float | Decimal)


def csv_rows(*, model: type[Record], user: User) -> Iterator[list[str]]:
    """The header, then one row per record; a cell a spreadsheet would run as a formula is text."""
    names = [field.name for field in export_fields(model)]
    yield names
    for row in records_as_dicts(model=model, user=user):
        yield [_csv_cell(row[name]) for name in names]


def checklists_as_dicts(*, user: User) -> list[dict]:
    """Each checklist with its questions and their answers, and the clinic's after-visit plan
    with the patient's teach-back: two queries, however many checklists."""
    checklists = (
        Checklist.objects.owned_by(user)
        .order_by("pk")
        .select_related("plan")
        .prefetch_related("items")
    )
    documents = []
    for checklist in checklists:
        document = {field.name: _value(checklist, field) for field in export_fields(Checklist)}
        document["questions"] = [
            {field.name: _value(item, field) for field in export_fields(ChecklistItem)}
            for item in checklist.items.all()
        ]
        plan = getattr(checklist, "plan", None)
        document["after_visit_plan"] = plan and {
            field.name: _value(plan, field) for field in export_fields(VisitPlan)
        }
        documents.append(document)
    return documents


def journal_document(user: User) -> dict:
    """Every record the user owns, by kind, and their checklists: the JSON export."""
    return {
        "exported_at": timezone.localtime(),
        "username": user.get_username(),
        **{
            model.kind.replace("-", "_"): records_as_dicts(model=model, user=user)
            for model in EXPORTED_MODELS
        },
        "checklists": checklists_as_dicts(user=user),
    }


@login_required
def export_page(request):
    kinds = [(model.kind, model._meta.verbose_name_plural) for model in EXPORTED_MODELS]
    return render(request, "journal/export.html", {"kinds": kinds})


@login_required
def export_csv(request, kind):
    model = MODELS_BY_KIND.get(kind)
    if model is None:
        raise Http404("No such export.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write(UTF8_MARK)
    csv.writer(response).writerows(csv_rows(model=model, user=request.user))
    return as_download(response, f"{kind}.csv")


@login_required
def export_json(request):
    response = JsonResponse(journal_document(request.user), encoder=DjangoJSONEncoder)
    return as_download(response, "journal.json")


@login_required
def export_fhir(request):
    bundle = fhir.health_record_bundle(
        user=request.user, portal_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/fhir+json")
    return as_download(response, "health-record.fhir.json")
