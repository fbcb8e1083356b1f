"""The one AWS paginate helper: every list call runs to its last page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def paginate(client: Any, operation: str, result_key: str, **kwargs: Any) -> list[Any]:
    """All items of `result_key` across every page of `operation`."""
    items: list[Any] = []
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            items.extend(page.get(result_key, []))
        return items
    response = getattr(client, operation)(**kwargs)
    items.extend(response.get(result_key, []))
    return items


def paginate_pages(client: Any, operation: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every page of `operation`, one at a time, for calls that return several lists at once.

    Read page by page so a caller can turn each into models before the next arrives: the raw
    pages of a large account (GetAccountAuthorizationDetails) are never all held at once.
    """
    yield from client.get_paginator(operation).paginate(**kwargs)
