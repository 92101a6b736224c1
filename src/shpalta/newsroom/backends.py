"""Object permissions on articles for the roles: Django's ModelBackend answers only for a
model, so "may this user change this story" is answered here, once, for every path."""

from django.contrib.auth.backends import BaseBackend

from shpalta.news.models import Article

from .roles import owns, sees_everyone

ARTICLE_PERMS = {"news.view_article", "news.change_article", "news.delete_article"}


class NewsroomBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        """An editor may do to any story what their role allows; an author only to their own,
        and never change or delete it once it is released."""
        if not isinstance(obj, Article) or perm not in ARTICLE_PERMS or not user_obj.is_active:
            return False
        if not user_obj.has_perm(perm):
            return False
        if sees_everyone(user_obj):
            return True
        if not owns(user_obj, obj):
            return False
        return perm == "news.view_article" or not obj.is_released
