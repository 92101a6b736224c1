"""The ad networks' hosts in the Content-Security-Policy, only when configured.

With SHPALTA_ADS_NETWORK_HOSTS empty (the default) the policy is exactly the site's own: no
third-party script, frame or connection. Each configured origin is added to script-src,
frame-src and connect-src (img-src already admits https: images)."""

from . import conf
from .validation import origin


def network_sources() -> dict[str, list[str]]:
    hosts = [origin(host) for host in conf.network_hosts()]
    hosts = [host for host in hosts if host.startswith("https://")]
    if not hosts:
        return {}
    return {"script-src": hosts, "frame-src": hosts, "connect-src": hosts}
