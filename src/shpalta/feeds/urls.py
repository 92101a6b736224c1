"""Feeds, sitemaps and robots.txt (`rubryka/<slug>/feed/` beside the reader pages' own
`rubryka/<slug>/`: each pattern is anchored at both ends, so neither catches the other's)."""

from django.urls import path

from . import feeds, views

app_name = "feeds"

# A subject feed's URL names start with its `kind`, which its feed_url() reverses.
SUBJECT_FEEDS = [
    ("rubryka", feeds.CategoryFeed),
    ("tema", feeds.TagFeed),
    ("avtor", feeds.AuthorFeed),
]

urlpatterns = [
    path("feed/", feeds.ArticleFeed(), name="rss"),
    path("feed/atom/", feeds.atom(feeds.ArticleFeed)(), name="atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>-<int:page>.xml", views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
for prefix, feed in SUBJECT_FEEDS:
    urlpatterns += [
        path(f"{prefix}/<slug:slug>/feed/", feed(), name=f"{feed.kind}-rss"),
        path(f"{prefix}/<slug:slug>/feed/atom/", feeds.atom(feed)(), name=f"{feed.kind}-atom"),
    ]
