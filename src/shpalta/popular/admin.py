"""Views in the Article admin list: the newsroom's ArticleAdmin, registered again with two view
columns.

Django imports each app's admin module in INSTALLED_APPS order, so news and then the newsroom
have registered their ArticleAdmin by the time this module extends it; neither knows of views.
"""

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import OuterRef, PositiveBigIntegerField, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article
from shpalta.newsroom.admin import NewsroomArticleAdmin as ArticleAdmin

from .models import HourlyViews
from .ranking import window_start


def _views_since(since=None):
    """Sum of one article's hourly rows as a correlated subquery over the (article, hour) index."""
    rows = HourlyViews.objects.filter(article=OuterRef("pk"))
    if since is not None:
        rows = rows.filter(hour__gte=since)
    total = rows.order_by().values("article").annotate(total=Sum("views")).values("total")
    return Coalesce(Subquery(total), Value(0), output_field=PositiveBigIntegerField())


def with_view_counts(queryset, now=None):
    """Annotate `views_total` and `views_24h`: computed for the rows on the page only (the
    changelist's count query drops unused annotations)."""
    start = window_start("24h", now or timezone.now())
    return queryset.annotate(views_total=_views_since(), views_24h=_views_since(start))


class ArticleViewsMixin:
    """Adds the two view columns' data; list them in list_display as `views_24h`, `views_total`."""

    def get_queryset(self, request):
        return with_view_counts(super().get_queryset(request))

    @admin.display(description=_("Перегляди за 24 год"), ordering="views_24h")
    def views_24h(self, obj):
        return intcomma(getattr(obj, "views_24h", 0) or 0)

    @admin.display(description=_("Перегляди, усього"), ordering="views_total")
    def views_total(self, obj):
        return intcomma(getattr(obj, "views_total", 0) or 0)


class ArticleWithViewsAdmin(ArticleViewsMixin, ArticleAdmin):
    list_display = [
        *ArticleAdmin.list_display[:-1],
        "views_24h",
        "views_total",
        ArticleAdmin.list_display[-1],
    ]


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithViewsAdmin)
