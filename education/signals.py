"""Two guards on content writes, and the one content write that is public at once.

- Live rows are written only by publishing: any other save or delete of one is refused.
- Every change to a draft records its author against each article it belongs to, so review.py
  can keep a reviewer from approving their own changes. The author is the one simple-history
  records (the signed-in user of the request, through its HistoryRequestMiddleware).
- A contributor has no draft: public pages name the row itself, so saving or deleting one moves
  the content stamp (lib/caching.py).

Draft edits move no cache stamp and no ETag: the public sees nothing of them until publishing.
"""

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from lib import caching

from .models import (
    FAQ,
    Article,
    Claim,
    Contributor,
    DraftEdit,
    Publishable,
    Section,
    SectionItem,
    Source,
)
from .publishing import refuse_live_write


def connect_live_write_guard():
    """Called once the models are ready: every publishable model and its sources table."""
    for model in apps.get_app_config("education").get_models():
        if issubclass(model, Publishable):
            pre_save.connect(refuse_live_write, sender=model)
            pre_delete.connect(refuse_live_write, sender=model)
            if hasattr(model, "sources"):
                m2m_changed.connect(refuse_live_write, sender=model.sources.through)


def articles_of(instance) -> set[int]:
    """The draft articles a draft row belongs to (for a source: every article citing it)."""
    if isinstance(instance, Article):
        return {instance.pk}
    if isinstance(instance, Section):
        return {instance.article_id}
    if isinstance(instance, SectionItem):
        return set(Section.objects.filter(pk=instance.section_id).values_list("article", flat=True))
    if isinstance(instance, Source):
        if hasattr(instance, "citing_articles"):  # a deleted source, remembered before deletion
            return instance.citing_articles
        citing = Q(sources=instance)
        for model in (Claim, FAQ):
            citing |= Q(pk__in=model.objects.filter(sources=instance).values("section"))
        return set(Section.objects.filter(citing).values_list("article", flat=True))
    return set()


@receiver(pre_delete, sender=Source)
def remember_citing_articles(sender, instance, **kwargs):
    """Its citations are gone by the time its history records the deletion."""
    if not instance.is_live:
        instance.citing_articles = articles_of(instance)


@receiver(post_create_historical_record)
def record_draft_author(sender, instance, history_user, history_date, **kwargs):
    if not isinstance(instance, Publishable) or instance.is_live or history_user is None:
        return
    for article in Article.objects.filter(pk__in=articles_of(instance)):
        DraftEdit.objects.update_or_create(
            article=article, user=history_user, defaults={"edited_at": history_date}
        )


@receiver([post_save, post_delete], sender=Contributor)
def contributor_changed(sender, **kwargs):
    """Pages credit authors and reviewers straight from their Contributor row, which no review
    stands between: a new name or credentials must show on the very next request."""
    caching.content_changed()
