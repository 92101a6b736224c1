"""An article that is, or was, public purges its pages from the CDN when saved or deleted."""

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from shpalta.news.models import Article

from . import cdn


@receiver(pre_save, sender=Article, dispatch_uid="ops_cdn_remember")
def remember_public(sender, instance, **kwargs):
    if cdn.enabled() and instance.pk:
        old = Article.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        instance._cdn_was_public = old == Article.Status.PUBLISHED


@receiver(post_save, sender=Article, dispatch_uid="ops_cdn_saved")
def purge_saved(sender, instance, **kwargs):
    public = instance.status == Article.Status.PUBLISHED
    if cdn.enabled() and (public or getattr(instance, "_cdn_was_public", False)):
        cdn.purge_later(cdn.paths_for(instance))


@receiver(pre_delete, sender=Article, dispatch_uid="ops_cdn_deleted")
def purge_deleted(sender, instance, **kwargs):
    if cdn.enabled() and instance.status == Article.Status.PUBLISHED:
        cdn.purge_later(cdn.paths_for(instance))
