"""A client generated from the live schema with openapi-python-client, as a client developer
would make one, works against a live server: every answer parses into its documented type.

The client is generated once for the module into a temporary folder (a few seconds)."""

import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import httpx
import pytest
from rest_framework.authtoken.models import Token

from tests.api.journal_bodies import VALID_BODIES
from tests.factories import FAQFactory, ProviderQuestionFactory, SectionFactory, SourceFactory

PACKAGE = "portal_api_client"
# Each journal kind: the operations' middle name, its model, a valid body and a change to it.
JOURNAL_KINDS = {
    "entries": ("JournalEntry", VALID_BODIES["entries"], {"mood": 8}),
    "side_effects": ("SideEffectReport", VALID_BODIES["side_effects"], {"severity": 5}),
    "blood_pressure": (
        "BloodPressureReading", VALID_BODIES["blood_pressure"], {"systolic": 120, "diastolic": 80}
    ),
    "infusions": ("InfusionSession", VALID_BODIES["infusions"], {"clinic": "North clinic"}),
    "medications": ("Medication", VALID_BODIES["medications"], {"dose": "40 mg"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def generated(live_server, django_db_blocker, tmp_path_factory):
    """The client package, generated from the schema the live server serves, and imported."""
    folder = tmp_path_factory.mktemp("generated")
    with django_db_blocker.unblock():  # serving the schema reads the content schedule
        schema = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    schema.raise_for_status()
    (folder / "schema.json").write_text(schema.text)
    (folder / "config.json").write_text(json.dumps({"post_hooks": []}))
    subprocess.run(
        [
            Path(sys.executable).with_name("openapi-python-client"), "generate",
            "--path", folder / "schema.json", "--config", folder / "config.json",
            "--meta", "none", "--output-path", folder / PACKAGE, "--fail-on-warning",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    sys.path.insert(0, str(folder))
    yield import_module(PACKAGE)
    sys.path.remove(str(folder))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.fixture
def operation(generated):
    """An operation's module of the generated client, by its operationId."""
    return lambda operation_id: import_module(f"{PACKAGE}.api.v1.{operation_id}")


@pytest.fixture
def model(generated):
    return lambda name: getattr(generated.models, name)


@pytest.fixture
def client(generated, live_server, transactional_db, patient, settings):
    settings.API_THROTTLE_RATES = {"anon": "off", "user": "off"}
    return generated.AuthenticatedClient(
        base_url=live_server.url,
        token=Token.objects.create(user=patient).key,
        prefix="Token",
        raise_on_unexpected_status=True,
    )


def test_the_client_lists_every_faq_across_pages(client, operation, model):
    faqs = FAQFactory.create_batch(5, sources=[SourceFactory()])
    listed, page = [], 1
    while page:
        answer = operation("v1_faqs_list").sync(client=client, page=page, page_size=2)
        listed += answer.results
        page = page + 1 if answer.next_ else None

    assert sorted(faq.id for faq in listed) == sorted(faq.pk for faq in faqs)
    assert all(isinstance(faq, model("FAQ")) for faq in listed)
    assert all(isinstance(source, model("Source")) for faq in listed for source in faq.sources)


def test_the_client_fetches_an_article_by_its_slug(client, operation, model):
    section = SectionFactory(article__slug="what-to-expect")
    FAQFactory(section=section)

    article = operation("v1_articles_retrieve").sync("what-to-expect", client=client)

    assert isinstance(article, model("Article"))
    assert article.slug == "what-to-expect"
    assert [type(each) for each in article.sections] == [model("Section")]


@pytest.mark.parametrize("kind", JOURNAL_KINDS)
def test_the_client_creates_reads_updates_and_deletes_each_journal_kind(
    kind, client, operation, model
):
    name, body, change = JOURNAL_KINDS[kind]
    prefix = f"v1_journal_{kind}"

    created = operation(f"{prefix}_create").sync(
        client=client, body=model(f"{name}Request").from_dict(body)
    )
    read = operation(f"{prefix}_retrieve").sync(str(created.id), client=client)
    updated = operation(f"{prefix}_update").sync(
        str(created.id), client=client, body=model(f"{name}Request").from_dict({**body, **change})
    )
    patched = operation(f"{prefix}_partial_update").sync(
        str(created.id), client=client, body=model(f"Patched{name}Request").from_dict(change)
    )
    deleted = operation(f"{prefix}_destroy").sync_detailed(str(created.id), client=client)
    gone = operation(f"{prefix}_retrieve").sync(str(created.id), client=client)

    assert [type(each) for each in (created, read, updated, patched)] == [model(name)] * 4
    assert read.to_dict() == created.to_dict()
    assert all(updated.to_dict()[field] == value for field, value in change.items())
    assert deleted.status_code == 204
    assert isinstance(gone, model("Error"))


def test_the_client_reads_a_readings_safety_message_as_a_typed_object(client, operation, model):
    body = model("BloodPressureReadingRequest").from_dict(JOURNAL_KINDS["blood_pressure"][1])

    reading = operation("v1_journal_blood_pressure_create").sync(client=client, body=body)

    assert isinstance(reading.safety, model("BloodPressureReadingSafetyType0"))
    assert reading.safety.level == "urgent"


def test_the_client_builds_a_checklist_with_an_own_question_and_reads_it_back(
    client, operation, model
):
    ProviderQuestionFactory(text="What results can I expect?")
    checklist = operation("v1_checklists_create").sync(
        client=client, body=model("ChecklistRequest").from_dict({"appointment_date": "2030-01-15"})
    )
    operation("v1_checklists_items_create").sync(
        str(checklist.id),
        client=client,
        body=model("ChecklistItemRequest").from_dict({"text": "Can I drive home afterwards?"}),
    )
    operation("v1_checklists_generate_create").sync(str(checklist.id), client=client)

    read = operation("v1_checklists_retrieve").sync(str(checklist.id), client=client)

    categories = {item.text: item.category for item in read.items}
    assert categories["Can I drive home afterwards?"] == model("BlankEnum")("")
    assert categories["What results can I expect?"] == model("CategoryEnum")("outcomes")


def test_the_client_gets_a_typed_error_with_a_message_list_for_a_400(client, operation, model):
    body = {**JOURNAL_KINDS["blood_pressure"][1], "systolic": 300}

    error = operation("v1_journal_blood_pressure_create").sync(
        client=client, body=model("BloodPressureReadingRequest").from_dict(body)
    )

    assert isinstance(error, model("Error"))
    assert list(error.additional_properties) == ["systolic"]
    assert all(isinstance(message, str) for message in error["systolic"])


def test_the_client_gets_a_typed_error_with_a_detail_for_a_404(client, operation, model):
    error = operation("v1_journal_entries_retrieve").sync(str(10**18 - 1), client=client)

    assert isinstance(error, model("Error"))
    assert isinstance(error.detail, str)
