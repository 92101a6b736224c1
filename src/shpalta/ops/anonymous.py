"""`@reader_view`: a view that, for a request that can only be anonymous (GET or HEAD, no
session cookie, no credentials), needs nothing of the authentication, messages or history
middleware: it takes the user to be anonymous (as authentication would find) and adds no
message. The page cache's edge (caching.middleware.PageCacheEdgeMiddleware) then runs it
without them; the session and CSRF middleware still run, so a view that uses the session or
a CSRF token answers as through the whole stack. A story page's uncached view spent about a
fifth of its time in the middleware, most of it making the lazy user out of the session."""

READER_VIEW = "shpalta_reader_view"


def reader_view(view):
    setattr(view, READER_VIEW, True)
    return view


def is_reader_view(view) -> bool:
    return getattr(view, READER_VIEW, False)
