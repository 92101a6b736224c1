"""Model instances to plain dicts in the API's shapes (one place, used by every endpoint)."""


def named(obj) -> dict:
    return {"id": obj.pk, "name": obj.name, "slug": obj.slug, "url": obj.get_absolute_url()}


def article_item(article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "lead": article.lead,
        "teaser": article.teaser,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "category": named(article.category) if article.category else None,
        "authors": [named(a) for a in article.authors.all()],
        "tags": [named(t) for t in article.tags.all()],
        "cover_image": article.cover_url,
    }


def article_detail(article) -> dict:
    return article_item(article) | {
        "body": article.body,
        "source_name": article.source_name,
        "source_url": article.source_url,
    }
