"""Medical review in the admin: editors see the status of their pending changes and a preview;
reviewers see every change in full on the review screen, approve it (recording who, with what
credentials, and when) or send it back with a comment; nobody approves their own changes."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from education import publishing, review
from education.models import FAQ, Article, Contributor, ReviewState, Section, SideEffect
from journal.models import SideEffectReport
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    ReviewerFactory,
    SectionFactory,
    SideEffectFactory,
    SideEffectReportFactory,
    publish_draft,
)
from tests.helpers import admin_change_url, post_admin_change, sign_in_staff, visible_text

LONG_ANSWER = (
    "While some studies show promising results, the effectiveness of ketamine can vary from "
    "one person to the next. It may help with focus and mood regulation in individuals with "
    "severe ADHD, but it is not a guaranteed solution for everyone, and nobody has yet run a "
    "controlled trial of it for ADHD. Ask your clinician what is known and what is not."
)
NEW_ANSWER = LONG_ANSWER.replace("may help", "might help") + " Results are still being studied."


@pytest.fixture
def article(db):
    """A published article with one FAQ, as a reviewer published it: returns its draft."""
    draft = ArticleFactory(is_live=False, title="Ketamine and ADHD", slug="ketamine-and-adhd")
    section = SectionFactory(article=draft, heading="Questions", anchor="questions")
    FAQFactory(section=section, question="Does it work?", answer=LONG_ANSWER)
    publish_draft(draft)
    return draft


def draft_faq(article):
    return FAQ.objects.drafts().get(section__article=article)


def review_url(article):
    return reverse("admin:education_article_review", args=[article.pk])


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def seen(client, article):
    """The fingerprint the review screen shows with its approve form."""
    html = client.get(review_url(article)).content.decode()
    return re.search(r'name="seen" value="([^"]+)"', html).group(1)


def approve(client, article, **fields):
    return client.post(
        review_url(article), {"action": "approve", "seen": seen(client, article), **fields}
    )


def edit_answer(client, article, answer=NEW_ANSWER):
    response = post_admin_change(client, draft_faq(article), answer=answer)
    assert response.status_code == 302


def changelist_text(client):
    return page_text(client, reverse("admin:education_article_changelist"))


# --- status --------------------------------------------------------------------------------


def test_a_new_article_reads_draft_in_the_article_list(editor_client):
    ArticleFactory(is_live=False, title="A new article")
    assert "A new article Draft" in changelist_text(editor_client)


def test_a_published_article_without_changes_reads_published(editor_client, article):
    assert "Ketamine and ADHD Published" in changelist_text(editor_client)


def test_the_article_list_shows_when_a_published_article_was_last_reviewed(editor_client):
    publish_draft(
        ArticleFactory(is_live=False), now=datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    )

    assert "March 2, 2026" in changelist_text(editor_client)


def test_the_article_list_shows_when_a_published_articles_next_review_is_due(editor_client):
    publish_draft(ArticleFactory(is_live=False), next_review_due=datetime.date(2027, 5, 1))

    assert "May 1, 2027" in changelist_text(editor_client)


def test_an_edit_to_a_published_faq_reads_changes_pending_review_with_the_count(
    editor_client, article
):
    edit_answer(editor_client, article)
    text = changelist_text(editor_client)
    assert "Published — changes pending review (1 changed item)" in text


def test_the_article_page_in_the_admin_shows_the_status(editor_client, article):
    edit_answer(editor_client, article)
    text = page_text(editor_client, admin_change_url(article))
    assert "Status: Published — changes pending review (1 changed item)" in text


def test_saving_a_draft_says_patients_see_it_only_after_review(editor_client, article):
    response = post_admin_change(editor_client, draft_faq(article), answer=NEW_ANSWER)
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("only after a medical reviewer publishes" in message for message in messages)


# --- submit ---------------------------------------------------------------------------------


def submit(client, article):
    return client.post(reverse("admin:education_article_submit", args=[article.pk]), follow=True)


def test_submitting_a_published_article_with_changes_reads_changes_in_review(
    editor_client, article
):
    edit_answer(editor_client, article)
    submit(editor_client, article)
    assert "Published — changes in review (1 changed item)" in changelist_text(editor_client)


def test_submitting_leaves_the_public_page_as_published(client, editor, article):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    submit(client, article)
    client.logout()
    assert "might help" not in page_text(client, article.get_absolute_url())


def test_submitting_without_changes_says_there_is_nothing_to_review(editor_client, article):
    text = visible_text(submit(editor_client, article).content.decode())
    assert "has no changes to review" in text
    article.refresh_from_db()
    assert article.review_state == ReviewState.EDITING


def test_submitting_a_new_draft_reads_in_review(editor_client):
    draft = ArticleFactory(is_live=False, title="A new article")
    submit(editor_client, draft)
    assert "A new article In review" in changelist_text(editor_client)


def test_the_submit_address_refuses_a_get(editor_client, article):
    url = reverse("admin:education_article_submit", args=[article.pk])
    assert editor_client.get(url).status_code == 405


# --- preview --------------------------------------------------------------------------------


def preview_url(article):
    return reverse("admin:education_article_preview", args=[article.pk])


def test_the_preview_shows_the_draft_text(editor_client, article):
    edit_answer(editor_client, article)
    assert "might help" in page_text(editor_client, preview_url(article))


def test_the_preview_says_it_is_not_visible_to_patients(editor_client, article):
    edit_answer(editor_client, article)
    text = page_text(editor_client, preview_url(article))
    assert "Preview of the draft, not visible to patients." in text


def test_the_preview_is_kept_out_of_search_engines(editor_client, article):
    html = editor_client.get(preview_url(article)).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_the_preview_is_never_cached(editor_client, article):
    response = editor_client.get(preview_url(article))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_patient_cannot_open_the_preview(client, article):
    client.force_login(get_user_model().objects.create(username="patient"))
    response = client.get(preview_url(article))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_reading_the_public_page_see_the_published_text(editor_client, article):
    edit_answer(editor_client, article)
    text = page_text(editor_client, article.get_absolute_url())
    assert "may help" in text
    assert "might help" not in text


def test_view_on_site_of_a_draft_item_opens_the_preview(editor_client, article):
    html = editor_client.get(admin_change_url(draft_faq(article))).content.decode()
    assert f'href="{preview_url(article)}#questions"' in html


# --- review screen --------------------------------------------------------------------------


def test_the_review_screen_shows_a_changed_answer_whole_with_insertions_and_deletions(
    reviewer_client, editor, article
):
    sign_in_staff(reviewer_client, editor)
    edit_answer(reviewer_client, article)
    html = reviewer_client.get(review_url(article)).content.decode()
    assert "<del> may</del><ins> might</ins> help" in html
    assert "<ins> Results are still being studied.</ins>" in html
    assert "Ask your clinician what is known and what is not." in html


def test_the_review_screen_shuts_nothing_out_of_a_long_text(reviewer_client, editor, article):
    sign_in_staff(reviewer_client, editor)
    edit_answer(reviewer_client, article, answer=LONG_ANSWER + " " + "More words. " * 200)
    text = page_text(reviewer_client, review_url(article))
    assert text.count("More words.") == 200
    assert "chars]" not in text


def test_the_review_screen_lists_an_added_item(editor_client, article):
    section = Section.objects.drafts().get(article=article)
    FAQFactory(section=section, question="Is it covered by insurance?")
    text = page_text(editor_client, review_url(article))
    assert "FAQ added: Is it covered by insurance?" in text


def test_the_review_screen_lists_a_removed_item(editor_client, article):
    draft_faq(article).delete()
    assert "FAQ removed: Does it work?" in page_text(editor_client, review_url(article))


def test_the_review_screen_names_a_moved_section_position(editor_client, article):
    section = Section.objects.drafts().get(article=article)
    post_admin_change(editor_client, section, order="99")
    assert "Section changed: Questions" in page_text(editor_client, review_url(article))


def test_the_review_screen_of_a_never_published_article_shows_the_whole_draft(editor_client):
    draft = ArticleFactory(is_live=False)
    SectionFactory(article=draft, heading="Everything new")
    text = page_text(editor_client, review_url(draft))
    assert "The whole draft (never published)" in text
    assert "Section added: Everything new" in text


def test_an_editor_sees_the_review_screen_without_the_approve_form(editor_client, article):
    html = editor_client.get(review_url(article)).content.decode()
    assert "Only medical reviewers approve or send back changes." in visible_text(html)
    assert 'value="approve"' not in html


def test_an_editor_posting_an_approval_is_refused(editor_client, article):
    edit_answer(editor_client, article)
    response = editor_client.post(review_url(article), {"action": "approve", "seen": "x"})
    assert response.status_code == 403
    assert "may help" in FAQ.objects.public().get().answer


# --- approve --------------------------------------------------------------------------------


def test_approving_on_the_review_screen_publishes_the_change_at_once(
    client, editor, reviewer, article
):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    client.get(article.get_absolute_url())  # the public page is cached
    sign_in_staff(client, reviewer)
    approve(client, article)
    client.logout()
    assert "might help" in page_text(client, article.get_absolute_url())


def test_approving_records_the_reviewer_today_and_a_review_due_in_a_year(
    client, editor, reviewer, article
):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    approve(client, article)
    live = Article.objects.public().get()
    today = timezone.localdate()
    assert live.medical_reviewer == Contributor.objects.get(user=reviewer)
    assert (live.last_reviewed, live.next_review_due) == (
        today,
        today + datetime.timedelta(days=365),
    )


def test_a_reviewer_can_set_the_next_review_date(client, editor, reviewer, article):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    approve(client, article, next_review_due="2027-03-01")
    assert Article.objects.public().get().next_review_due == datetime.date(2027, 3, 1)


def test_the_trust_panel_names_the_new_reviewer_with_credentials(client, editor, article):
    reviewer = ReviewerFactory(username="rivera")
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    approve(client, article)
    client.logout()
    text = page_text(client, article.get_absolute_url())
    assert "Reviewed by Dr Rivera, MD, psychiatrist on" in text


def test_approving_says_who_reviewed(client, editor, reviewer, article):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    response = client.post(
        review_url(article), {"action": "approve", "seen": seen(client, article)}, follow=True
    )
    assert "Approved and published. Reviewed by Dr" in visible_text(response.content.decode())


def test_a_reviewer_without_credentials_is_told_to_add_them_and_nothing_is_published(
    client, editor, article
):
    reviewer = ReviewerFactory()
    Contributor.objects.filter(user=reviewer).update(credentials="")
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    text = visible_text(approve(client, article).content.decode())
    assert "add your name and credentials" in text
    assert "may help" in FAQ.objects.public().get().answer


def test_a_reviewer_without_a_contributor_profile_cannot_publish(client, editor, article):
    reviewer = ReviewerFactory()
    Contributor.objects.filter(user=reviewer).delete()
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    assert "add your name and credentials" in visible_text(
        approve(client, article).content.decode()
    )


def test_a_reviewer_cannot_approve_changes_they_made(reviewer_client, article):
    edit_answer(reviewer_client, article)
    text = visible_text(approve(reviewer_client, article).content.decode())
    assert "another medical reviewer must approve it" in text
    assert "may help" in FAQ.objects.public().get().answer


def test_the_review_screen_warns_a_reviewer_of_their_own_changes(reviewer_client, article):
    edit_answer(reviewer_client, article)
    text = page_text(reviewer_client, review_url(article))
    assert "You changed this article since it was last published" in text


def test_a_reviewer_may_approve_their_own_changes_when_the_clinic_allows_it(
    reviewer_client, article, settings
):
    settings.ALLOW_SELF_APPROVAL = True
    edit_answer(reviewer_client, article)
    approve(reviewer_client, article)
    assert "might help" in FAQ.objects.public().get().answer


def test_a_superuser_cannot_approve_their_own_changes_by_default(client, article):
    admin = get_user_model().objects.create_superuser("boss", password="a-long-password-1")
    Contributor.objects.create(user=admin, name="Dr Boss", credentials="MD")
    sign_in_staff(client, admin)
    edit_answer(client, article)
    assert "another medical reviewer" in visible_text(approve(client, article).content.decode())


def test_an_approval_of_a_draft_changed_since_it_was_shown_is_refused(
    client, editor, reviewer, article
):
    sign_in_staff(client, reviewer)
    shown = seen(client, article)
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    response = client.post(review_url(article), {"action": "approve", "seen": shown})
    assert "The draft changed while you were reviewing it." in visible_text(
        response.content.decode()
    )
    assert "may help" in FAQ.objects.public().get().answer


def test_approving_without_changes_renews_the_review_date(client, article, reviewer):
    Article.objects.filter(is_live=True).update(next_review_due=datetime.date(2020, 1, 1))
    sign_in_staff(client, reviewer)
    approve(client, article)
    expected = timezone.localdate() + datetime.timedelta(days=365)
    assert Article.objects.public().get().next_review_due == expected


def test_publishing_keeps_the_public_ids_of_items(client, editor, reviewer, article):
    live_id = FAQ.objects.public().get().pk
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    approve(client, article)
    assert FAQ.objects.public().get().pk == live_id


# --- send back ------------------------------------------------------------------------------


def send_back(client, article, comment, changes=()):
    return client.post(
        review_url(article), {"action": "send_back", "comment": comment, "changes": changes}
    )


@pytest.fixture
def sent_back(client, editor, reviewer, article):
    """An editor's change, sent back by a reviewer with a comment; the client is the editor's."""
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    send_back(client, article, "Please cite the study you mean.")
    sign_in_staff(client, editor)
    return article


def test_sending_back_without_a_comment_asks_for_one(client, editor, reviewer, article):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    response = send_back(client, article, "  ")
    assert response.status_code == 200
    assert "What needs to change: This field is required." in visible_text(
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.review_state == ReviewState.EDITING


def test_the_editor_sees_the_reviewers_comment_on_the_article(client, sent_back):
    text = page_text(client, admin_change_url(sent_back))
    assert "Sent back by" in text
    assert "Please cite the study you mean." in text


def test_the_editor_sees_which_changes_were_sent_back(client, editor, reviewer, article):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    faq = draft_faq(article)
    sign_in_staff(client, reviewer)
    send_back(client, article, "Not yet.", changes=[f"faq:{faq.pk}"])
    sign_in_staff(client, editor)
    assert "FAQ changed: Does it work?" in page_text(client, admin_change_url(article))


def test_a_sent_back_article_reads_changes_sent_back(client, sent_back):
    assert "Published — changes sent back (1 changed item)" in changelist_text(client)


def test_sending_back_leaves_the_public_page_unchanged(client, sent_back):
    client.logout()
    assert "might help" not in page_text(client, sent_back.get_absolute_url())


def test_resubmitting_after_a_send_back_reads_changes_in_review(client, sent_back):
    submit(client, sent_back)
    assert "Published — changes in review" in changelist_text(client)


def test_an_editor_cannot_send_back(editor_client, article):
    edit_answer(editor_client, article)
    assert send_back(editor_client, article, "No.").status_code == 403


# --- unpublish and delete -------------------------------------------------------------------


def run_action(client, action, *articles):
    return client.post(
        reverse("admin:education_article_changelist"),
        {"action": action, "_selected_action": [each.pk for each in articles], "index": 0},
    )


def test_a_reviewer_unpublishes_an_article_and_the_public_no_longer_finds_it(
    client, reviewer, article
):
    client.get(article.get_absolute_url())  # cached
    sign_in_staff(client, reviewer)
    run_action(client, "unpublish", article)
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Does it work?" not in page_text(client, "/faq/")


def test_an_editor_is_not_offered_unpublishing(editor_client, article):
    html = editor_client.get(reverse("admin:education_article_changelist")).content.decode()
    assert 'value="submit_for_review"' in html
    assert 'value="unpublish"' not in html


def test_an_editor_running_the_unpublish_action_anyway_leaves_the_article_public(
    client, editor, article
):
    sign_in_staff(client, editor)
    run_action(client, "unpublish", article)
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_published_article_cannot_be_deleted_in_the_admin(editor_client, article):
    url = reverse("admin:education_article_delete", args=[article.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.public().exists()


def test_a_side_effect_leaving_the_published_list_stays_named_in_patients_journals(
    client, reviewer
):
    draft = ArticleFactory(is_live=False)
    SideEffectFactory(section=SectionFactory(article=draft), name="Vivid dreams")
    publish_draft(draft)
    report = SideEffectReportFactory(side_effect=SideEffect.objects.public().get(), other_name="")
    review.unpublish(article=draft, user=reviewer)
    report.refresh_from_db()
    assert report.name == "Vivid dreams"


# --- the admin works on drafts only ---------------------------------------------------------


def test_the_faq_list_in_the_admin_shows_each_faq_once(editor_client, article):
    html = editor_client.get(reverse("admin:education_faq_changelist")).content.decode()
    assert visible_text(html).count("Does it work?") == 1


def test_a_live_row_has_no_admin_change_page(editor_client, article):
    live = FAQ.objects.public().get()
    response = editor_client.get(admin_change_url(live))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_a_live_rows_history_cannot_be_reverted(editor_client, article):
    live = FAQ.objects.public().get()
    url = reverse("admin:education_faq_simple_history", args=[live.pk, 1])
    assert editor_client.get(url).status_code == 404


def test_the_section_choices_offer_drafts_only(editor_client, article):
    html = editor_client.get(reverse("admin:education_faq_add")).content.decode()
    draft_section = Section.objects.drafts().get(article=article)
    live_section = Section.objects.public().get()
    assert f'<option value="{draft_section.pk}"' in html
    assert f'<option value="{live_section.pk}"' not in html


# --- history --------------------------------------------------------------------------------


def history_text(client, obj):
    url = reverse(f"admin:education_{obj._meta.model_name}_history", args=[obj.pk])
    return page_text(client, url)


def test_the_history_page_shows_a_long_changed_answer_whole(editor_client, article):
    edit_answer(editor_client, article)
    text = history_text(editor_client, draft_faq(article))
    assert NEW_ANSWER in text
    assert "chars]" not in text


def test_the_history_page_names_the_editor_who_changed_it(editor_client, editor, article):
    edit_answer(editor_client, article)
    assert editor.username in history_text(editor_client, draft_faq(article))


def test_the_history_page_shows_an_empty_author_as_a_dash_not_a_deleted_contributor(
    editor_client, article
):
    author = Contributor.objects.create(name="Dr Sam Writer", credentials="MD")
    post_admin_change(editor_client, article, author=str(author.pk))
    text = history_text(editor_client, article)
    assert "Deleted contributor" not in text
    assert "Author: — → Dr Sam Writer, MD" in text


# --- live rows change only through publishing -----------------------------------------------


def test_saving_a_live_row_outside_publishing_is_refused(article):
    live = FAQ.objects.public().get()
    live.answer = "Changed behind the reviewer's back."
    with pytest.raises(PermissionDenied, match="only when a medical reviewer publishes"):
        live.save()


def test_deleting_a_live_row_outside_publishing_is_refused(article):
    with pytest.raises(PermissionDenied, match="only when a medical reviewer publishes"):
        FAQ.objects.public().get().delete()


def test_a_draft_edit_by_someone_without_a_request_is_no_ones_self_approval(article, reviewer):
    faq = draft_faq(article)
    faq.answer = NEW_ANSWER
    faq.save()
    publish_draft(article, reviewer)
    assert "might help" in FAQ.objects.public().get().answer


def test_the_publishing_service_refuses_an_editor(article, editor):
    fingerprint = publishing.fingerprint(publishing.snapshot(article))
    with pytest.raises(PermissionDenied, match="Only medical reviewers"):
        review.approve(article=article, user=editor, seen=fingerprint)


def test_reports_keep_pointing_at_the_same_side_effect_after_a_publication(reviewer):
    draft = ArticleFactory(is_live=False)
    SideEffectFactory(section=SectionFactory(article=draft), name="Vivid dreams")
    publish_draft(draft)
    report = SideEffectReportFactory(side_effect=SideEffect.objects.public().get())
    side_effect = SideEffect.objects.drafts().get()
    side_effect.description = "Dreams that feel real."
    side_effect.save()
    publish_draft(draft, reviewer)
    assert SideEffectReport.objects.get(pk=report.pk).side_effect.description == (
        "Dreams that feel real."
    )


def test_a_next_review_date_in_the_past_is_refused_next_to_the_field(
    client, editor, reviewer, article
):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    response = approve(client, article, next_review_due="2020-01-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Next review due: Choose a date after today." in visible_text(html)
    assert 'value="2020-01-01"' in html
    assert "may help" in FAQ.objects.public().get().answer


def test_a_next_review_date_beyond_three_years_is_refused_next_to_the_field(
    client, editor, reviewer, article
):
    sign_in_staff(client, editor)
    edit_answer(client, article)
    sign_in_staff(client, reviewer)
    response = approve(client, article, next_review_due="9999-12-31")
    assert "Next review due: Choose a date within three years" in visible_text(
        response.content.decode()
    )


def test_cancelling_when_nothing_is_scheduled_says_so(reviewer_client, article):
    response = reviewer_client.post(review_url(article), {"action": "cancel_schedule"}, follow=True)
    assert "Nothing is scheduled for this article." in visible_text(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_an_approval_outside_any_transaction_takes_its_own(reviewer):
    """The admin's view calls approve outside a transaction: it locks the article in its own
    (PostgreSQL refuses a row lock with none)."""
    draft = ArticleFactory(is_live=False)

    publish_draft(draft, reviewer)

    assert Article.objects.public().filter(draft=draft).exists()
