"""`@reader_view`: a view that, for a request that can only be anonymous (GET or HEAD, no
session cookie, no credentials), needs nothing of the session, CSRF, authentication, messages
or history middleware: it reads no session, writes none, adds no message and shows no CSRF
token to such a reader. The page cache's edge (caching.middleware.PageCacheEdgeMiddleware)
then runs it with only the middleware that shapes its response; a story page's uncached view
spent about a fifth of its time in the others.

A view so marked that does touch them anyway (a session written, a CSRF token used) is
answered again through the whole stack: its answer stays right, only slower."""

READER_VIEW = "shpalta_reader_view"


def reader_view(view):
    setattr(view, READER_VIEW, True)
    return view


def is_reader_view(view) -> bool:
    return getattr(view, READER_VIEW, False)
