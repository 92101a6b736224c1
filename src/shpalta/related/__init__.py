"""«Більше подібного»: related articles computed from the text, stored, and kept up to date.

How it fits together:
- `features` turns an article into weighted lemmas (title, lead and names weigh more; tags and
  category are extra features) and a MinHash of its word shingles (near-copies);
- `vectors` weighs them by TF-IDF and keeps the strongest terms; `store` writes them with an
  inverted index of each article's heaviest terms (`Posting`);
- `scoring` finds an article's candidates through that index, scores them exactly (cosine with
  a recency preference) and applies the exclusions (itself, near-copies, unpublished, future);
- `updates` (run by `tasks` after a save commits, see `signals`) stores the article's list and
  inserts it into its neighbours' lists where it beats their weakest entry; `rebuild` redoes
  everything in memory (`memory`) for `shpalta related rebuild`;
- pages and the API only read `RelatedLink` rows (`queries`, `templatetags`, `api`).
"""
