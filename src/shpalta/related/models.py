"""The similarity index (terms, stored vectors, an inverted index) and the stored related lists.

Everything a page needs is precomputed here when an article is published or edited, so reading
an article never computes similarity: it reads `RelatedLink` rows in rank order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article


class Term(models.Model):
    """A lemma (or a `#tag:`/`#cat:` feature) and in how many indexed articles it occurs."""

    text = models.CharField(max_length=64, unique=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.text


class IndexState(models.Model):
    """One row: how many articles the index holds (N of the inverse document frequency).

    Kept as a counter rather than COUNT(*) because counting a million rows on every publish
    would cost more than the rest of the update.
    """

    documents = models.PositiveIntegerField(default=0)
    # A streamed rebuild's progress (related.streamed): the stage it is in ("" when none is
    # under way) and the last article id that stage finished, so an interrupted one goes on.
    rebuild_stage = models.CharField(max_length=16, blank=True, default="")
    rebuild_after = models.BigIntegerField(default=0)
    rebuild_started = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.documents} documents"


class ArticleVector(models.Model):
    """An indexed article: its weighted terms, near-duplicate signature and what scoring needs."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="related_vector"
    )
    published_at = models.DateTimeField(db_index=True)
    # top terms and their L2-normalised weights: packed uint32 ids then float32 weights
    vector = models.BinaryField()
    # every term of the article with its weighted count: lets an edit or removal correct the
    # document counts, and lets the vector be weighed again as the archive grows
    counts = models.BinaryField()
    # archive size when the weights were computed; far below today's size = weights are stale
    weighed_at = models.PositiveIntegerField(db_index=True)
    # MinHash of word shingles: estimates the Jaccard similarity of two texts
    signature = models.BinaryField()
    fingerprint = models.CharField(max_length=40)
    # the article was offered to its neighbours' lists (false while it is scheduled)
    spread = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["published_at"],
                name="related_pending_idx",
                condition=models.Q(spread=False),
            )
        ]

    def __str__(self):
        return f"vector of {self.article_id}"


class Posting(models.Model):
    """The inverted index: for each of an article's strongest terms, the term's weight there."""

    term = models.ForeignKey(
        Term, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    weight = models.FloatField()

    class Meta:
        indexes = [
            # candidate generation reads the heaviest postings of a term, index only
            models.Index(fields=["term", "-weight", "article"], name="related_posting_idx")
        ]

    def __str__(self):
        return f"{self.term_id} in {self.article_id}: {self.weight:.3f}"


class RelatedLink(models.Model):
    """One entry of an article's stored "Більше подібного" list."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_in")
    rank = models.PositiveSmallIntegerField(_("місце"))
    score = models.FloatField(_("схожість"))

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_link_unique")
        ]
        verbose_name = _("схожа стаття")
        verbose_name_plural = _("схожі статті")

    def __str__(self):
        return f"{self.article_id} → {self.related_id} ({self.score:.3f})"


class KeptItem(models.Model):
    """A story's item in the «Більше подібного» lists it is in, as the block writes it
    (related/templatetags/related.py): written once per story save, not once per page that
    lists it. `stamp` says what it was written from (news.stored.stamp_of: the release, the
    stored pages' generation, the story's last save); an item whose stamp is not the one
    wanted now is written again where it is next shown."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="related_item"
    )
    stamp = models.CharField(_("відбиток"), max_length=100)
    html = models.TextField(_("пункт списку"))

    class Meta:
        verbose_name = _("пункт списку «Більше подібного»")
        verbose_name_plural = _("пункти списків «Більше подібного»")

    def __str__(self):
        return str(self.article_id)
