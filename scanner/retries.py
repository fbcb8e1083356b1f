"""What every provider's retry policy shares; the policies themselves stay with each SDK.

A policy retries the statuses below, honours a server's Retry-After (or rate-limit reset) up to
`RETRY_AFTER_CAP_SECONDS`, and otherwise backs off exponentially up to `BACKOFF_CAP_SECONDS`;
every provider's total wait is further bounded by its call timeout and the scan's deadline.
"""

from __future__ import annotations

THROTTLING_STATUSES = frozenset({429, 503, 504})
"""The server asks to slow down (429) or is briefly unable to answer (503, 504)."""

RETRYABLE_STATUSES = THROTTLING_STATUSES | {500, 502}
"""Throttling, plus the server errors APIs document as transient (Google's, a webhook's)."""

RETRY_AFTER_CAP_SECONDS = 60.0
"""The longest wait a server's Retry-After or rate-limit reset may impose on one retry."""

BACKOFF_CAP_SECONDS = 60.0
"""The longest exponential back-off between two attempts."""
