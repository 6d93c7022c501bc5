"""Core triggers: schedules, flow dependencies and webhooks (``http.Trigger`` is in ``http``)."""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.core.triggers import flow, schedule, webhook

PLUGINS: list[type[Plugin]] = [
    schedule.Schedule,
    schedule.ScheduleOnDates,
    flow.Flow,
    webhook.Webhook,
]
