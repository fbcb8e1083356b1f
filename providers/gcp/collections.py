"""Every GCP collection, in the order a scan starts them."""

from __future__ import annotations

from providers.gcp.collectors import (
    ancestors,
    compute,
    iam,
    kms,
    projects,
    roles,
    sql,
    storage,
    workspace,
)
from providers.gcp.collectors import logging as log_collectors
from providers.gcp.runner import GcpCollection
from scanner.collection import by_name

COLLECTIONS: tuple[GcpCollection, ...] = (
    projects.PROJECT,
    *iam.COLLECTIONS,
    *roles.COLLECTIONS,
    *storage.COLLECTIONS,
    *kms.COLLECTIONS,
    *log_collectors.COLLECTIONS,
    *compute.COLLECTIONS,
    *sql.COLLECTIONS,
    *ancestors.COLLECTIONS,
    *workspace.COLLECTIONS,
)
BY_NAME = by_name(COLLECTIONS)
