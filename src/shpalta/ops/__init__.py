"""Running Shpalta in production: the app server, the task worker, health, headers and logs."""
