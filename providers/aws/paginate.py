"""The one AWS paginate helper: every list call runs to its last page."""

from __future__ import annotations

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


def paginate_pages(client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every page of `operation`, for calls that return several lists at once."""
    return list(client.get_paginator(operation).paginate(**kwargs))
