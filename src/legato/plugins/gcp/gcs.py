"""``io.kestra.plugin.gcp.gcs``: Upload, Download, Delete, List, CreateBucket and DeleteBucket.

Objects are addressed as ``gs://bucket/path``; ``from`` of Upload is a ``kestra://`` URI. Bucket
sub-objects (lifecycle rules, CORS, ACLs, IAM and logging configuration) are accepted as maps and
checked by GCS when the bucket is created.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from legato.model.plugin import Plugin
from legato.model.property import Dyn
from legato.plugins.gcp.base import GcpTask
from legato.sdk import plugin

StorageClass = Literal[
    "REGIONAL", "MULTI_REGIONAL", "NEARLINE", "COLDLINE", "STANDARD", "ARCHIVE",
    "DURABLE_REDUCED_AVAILABILITY",
]  # fmt: skip
IfExists = Literal["ERROR", "UPDATE", "SKIP"]
ListingType = Literal["RECURSIVE", "DIRECTORY"]
ListFilter = Literal["FILES", "DIRECTORY", "BOTH"]


@plugin("io.kestra.plugin.gcp.gcs.Upload", title="Upload a file to GCS.")
class Upload(GcpTask):
    from_: Dyn[str] | None = Field(default=None, alias="from")
    to: Dyn[str] | None = None
    contentType: Dyn[str] | None = None
    contentEncoding: Dyn[str] | None = None
    contentDisposition: Dyn[str] | None = None
    cacheControl: Dyn[str] | None = None


@plugin("io.kestra.plugin.gcp.gcs.Download", title="Download a GCS object.")
class Download(GcpTask):
    from_: Dyn[str] | None = Field(default=None, alias="from")


@plugin("io.kestra.plugin.gcp.gcs.Delete", title="Delete a GCS object.")
class Delete(GcpTask):
    uri: Dyn[str] | None = None
    errorOnMissing: Dyn[bool] = False


@plugin("io.kestra.plugin.gcp.gcs.List", title="List GCS objects under a prefix.")
class List(GcpTask):
    from_: Dyn[str] = Field(alias="from")
    allVersions: Dyn[bool] | None = None
    listingType: Dyn[ListingType] = "DIRECTORY"
    regExp: Dyn[str] | None = None
    filter: Dyn[ListFilter] = "BOTH"


@plugin("io.kestra.plugin.gcp.gcs.CreateBucket", title="Create a GCS bucket.")
class CreateBucket(GcpTask):
    name: Dyn[str]
    requesterPays: Dyn[bool] | None = None
    versioningEnabled: Dyn[bool] | None = None
    indexPage: Dyn[str] | None = None
    notFoundPage: Dyn[str] | None = None
    lifecycleRules: list[dict[str, Any]] | None = None
    storageClass: Dyn[StorageClass] | None = None
    location: Dyn[str] | None = None
    cors: list[dict[str, Any]] | None = None
    acl: list[dict[str, Any]] | None = None
    defaultAcl: list[dict[str, Any]] | None = None
    labels: Dyn[dict[str, str]] | None = None
    defaultKmsKeyName: Dyn[str] | None = None
    defaultEventBasedHold: Dyn[bool] | None = None
    retentionPeriod: Dyn[int] | None = None
    iamConfiguration: dict[str, Any] | None = None
    logging: dict[str, Any] | None = None
    ifExists: Dyn[IfExists] = "ERROR"


@plugin("io.kestra.plugin.gcp.gcs.DeleteBucket", title="Delete a GCS bucket.")
class DeleteBucket(GcpTask):
    name: Dyn[str]


PLUGINS: list[type[Plugin]] = [Upload, Download, Delete, List, CreateBucket, DeleteBucket]
