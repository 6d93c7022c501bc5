"""What every GCP task shares: the project and the credentials to reach it.

``serviceAccount`` is a service-account JSON key (usually ``{{ secret('GCP_SA') }}``); without
it, Application Default Credentials are used. ``scopes`` defaults to cloud-platform.
"""

from __future__ import annotations

from legato.model.property import Dyn
from legato.sdk import RunnableTask

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


class GcpTask(RunnableTask):
    """A task calling a Google Cloud API."""

    projectId: Dyn[str] | None = None
    serviceAccount: Dyn[str] | None = None
    impersonatedServiceAccount: Dyn[str] | None = None
    scopes: Dyn[list[str]] = [CLOUD_PLATFORM_SCOPE]
