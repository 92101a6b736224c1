"""Which task workers are alive: the evidence for giving a dead worker's task to another."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running `shpalta worker`, touched every few seconds while it lives.

    A worker killed with SIGKILL, by the OOM killer or by a lost machine cannot say goodbye;
    its row simply stops being touched, and that silence is what marks its tasks as lost.
    """

    worker_id = models.CharField(_("ідентифікатор"), max_length=64, primary_key=True)
    hostname = models.CharField(_("машина"), max_length=255)
    pid = models.PositiveIntegerField(_("процес"))
    started_at = models.DateTimeField(_("запущено"), auto_now_add=True)
    seen_at = models.DateTimeField(_("останній сигнал"), db_index=True)

    class Meta:
        verbose_name = _("обробник завдань")
        verbose_name_plural = _("обробники завдань")

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
