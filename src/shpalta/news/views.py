"""Reader pages: home, article, category / tag / author lists, preview for editors, errors."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from shpalta.ops.health import health_response

from .models import Article, Author, Category, OldSlug, Tag

HOME_FEATURED = 4  # under the lead story, so its column is as long as the latest list
HOME_LATEST = 10
HOME_PER_CATEGORY = 4


def home(request):
    articles = Article.objects.published().for_listing()
    top = list(articles[: 1 + HOME_FEATURED + HOME_LATEST])
    lead = top[0] if top else None
    featured, latest = top[1 : 1 + HOME_FEATURED], top[1 + HOME_FEATURED :]
    sections = []
    for category in Category.objects.filter(parent__isnull=True):
        items = list(articles.filter(category=category)[:HOME_PER_CATEGORY])
        if items:
            sections.append((category, items))
    context = {"lead": lead, "featured": featured, "latest": latest, "sections": sections}
    return render(request, "news/home.html", context)


def article_detail(request, slug):
    article = Article.objects.published().select_related("category").filter(slug=slug).first()
    if article is None:
        old = OldSlug.objects.select_related("article").filter(slug=slug).first()
        if old and old.article.is_live:
            return redirect(old.article, permanent=True)
        return page_not_found(request, None)
    return render(request, "news/article_detail.html", _article_context(article))


@staff_member_required
@never_cache
def article_preview(request, pk):
    """Editors see a draft or scheduled article exactly as readers will."""
    article = get_object_or_404(Article.objects.select_related("category"), pk=pk)
    context = _article_context(article) | {"preview": True}
    response = render(request, "news/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _article_context(article):
    return {
        "article": article,
        "authors": list(article.authors.all()),
        "tags": list(article.tags.all()),
    }


class ArticleListView(ListView):
    """A paginated list of the published articles under one category, tag or author."""

    template_name = "news/article_list.html"
    paginate_by = settings.SHPALTA_PAGE_SIZE
    model = None
    filter_field = ""

    def get_queryset(self):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(**{self.filter_field: self.subject})

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"subject": self.subject, "kind": self.kind}


class CategoryView(ArticleListView):
    model, filter_field, kind = Category, "category", "category"


class TagView(ArticleListView):
    model, filter_field, kind = Tag, "tags", "tag"


class AuthorView(ArticleListView):
    model, filter_field, kind = Author, "authors", "author"


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without context processors: the database may be what failed."""
    return HttpResponseServerError(loader.render_to_string("500.html"))


def healthz(request):
    """For load balancers (normally answered earlier by shpalta.ops.health's middleware)."""
    return health_response()
