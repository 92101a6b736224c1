from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("novyny/<slug:slug>/", views.article_detail, name="article"),
    path("rubryka/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tema/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("avtor/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("peredohliad/<int:pk>/", views.article_preview, name="preview"),
]
