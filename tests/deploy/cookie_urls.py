"""The site plus one public page that sets a cookie (Shpalta's own reader pages set none), for
`@pytest.mark.urls("tests.deploy.cookie_urls")`."""

from django.http import HttpResponse
from django.urls import include, path


def sets_a_cookie(request):
    response = HttpResponse("<p>для одного читача</p>")
    response["Cache-Control"] = "public, max-age=60"  # the worst case: only the cookie tells
    response.set_cookie("reader", request.GET.get("who", "x"))
    return response


urlpatterns = [path("sets-cookie/", sets_a_cookie), path("", include("shpalta.urls"))]
