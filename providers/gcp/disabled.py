"""A disabled API: whose it is (google.rpc.ErrorInfo `consumer`) decides what it means.

Google answers a call to a disabled API with ErrorInfo reason SERVICE_DISABLED and metadata
`service` (the API) and `consumer` ("projects/<number>": the project the call was made for).
When the consumer is the scanned project, the project uses no such service; the collections
whose resources only that API creates (`Need.empty_when_disabled`) read as empty, with the
ok outcome's message saying why (so the scan is not partial for it). Google can disable an
API whose resources remain (services.disable skips its usage check by default): the message
is the record of what the empty list rests on. When the consumer is another project (the
caller's quota project, for an API that bills the caller), the scanned project was never
asked: an error naming that project.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Any

from providers.gcp.errors import disabled_api
from providers.gcp.runner import GcpCollection, Project
from scanner.collection import CollectionFailedError
from scanner.models.enums import Outcome


def consumer_names(project: Project) -> frozenset[str]:
    """How ErrorInfo may name the scanned project: by number (Google's form) or by id."""
    names = {f"projects/{project.id}"}
    if project.number:
        names.add(f"projects/{project.number}")
    return frozenset(names)


def empty_value(collection: GcpCollection) -> Any:
    """The collection's value for a project holding none of its resources."""
    if len(collection.fields) == 1:
        return ()
    return {f: () for f in collection.fields}


class DisabledNotes:
    """The (collection, project) pairs read as empty because the API is off in the project."""

    def __init__(self) -> None:
        self._lock = Lock()
        self.messages: dict[tuple[str, str], str] = {}

    def guard(self, collection: GcpCollection, project: Project, fetch: Callable[[], Any]) -> Any:
        """`fetch()`, with a disabled API read as described in this module."""
        try:
            return fetch()
        except Exception as exc:
            failure = disabled_api(exc)
            if failure is None or failure.consumer is None:
                raise  # no ErrorInfo: whose API is off is not known (an api_disabled outcome)
            service = failure.service or collection.needs.service
            if failure.consumer not in consumer_names(project):
                if project.number is None and failure.consumer.removeprefix("projects/").isdigit():
                    raise  # the project's number is unknown: it may be the scanned project
                raise CollectionFailedError(
                    Outcome.ERROR,
                    f"the {service} API is disabled in {failure.consumer}, the project the "
                    f"call was billed to (the caller's quota project), not in {project.id}: "
                    "enable it there or use another quota project",
                    missing=f"{service} enabled in {failure.consumer}",
                ) from exc
            if not collection.needs.empty_when_disabled:
                raise  # the project can hold these resources with the API off
            with self._lock:
                self.messages[(collection.name, project.id)] = (
                    f"the {service} API is disabled in the project ({failure.consumer}): "
                    "read as holding none of these resources"
                )
            return empty_value(collection)
