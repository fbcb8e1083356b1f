"""The one paginate helper: raw JSON through the GraphServiceClient's request adapter.

Deserialising thousands of directory objects through the SDK's models costs ~10 ms each;
the bulk lists are read as JSON and turned into posture's own frozen models instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
from azure.core.exceptions import ClientAuthenticationError
from kiota_abstractions.api_error import APIError
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.graph_service_client import GraphServiceClient

from providers.azuread.bounds import AnswerBoundError
from scanner.collection import count_call
from scanner.endpoints import is_loopback

ERROR_MAP: dict[str, Any] = {"XXX": ODataError}
MAX_PAGES = 100_000

Json = dict[str, Any]


@dataclass
class GraphCallError(Exception):
    """A Graph request that failed for good (after the retry policy gave up)."""

    status: int | None
    code: str
    message: str
    request: str

    def __str__(self) -> str:
        status = f"HTTP {self.status} " if self.status is not None else ""
        return f"{status}{self.code} on {self.request}: {self.message}".strip()


class TokenError(Exception):
    """The credential could not get a token (expired login, wrong secret, no CLI login)."""


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port); every loopback spelling counts as one host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if is_loopback(host):
        host = "loopback"
    return parts.scheme, host, parts.port


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:limit]


def _graph_error(exc: APIError, request: str) -> GraphCallError:
    code, message = "error", exc.message or ""
    if isinstance(exc, ODataError) and exc.error is not None:
        code = exc.error.code or code
        message = exc.error.message or ""
    return GraphCallError(exc.response_status_code, code, _first_line(message), request)


class GraphApi:
    """GETs JSON from Graph, follows every `@odata.nextLink`.

    Concurrency is bounded in the HTTP client (providers.azuread.slots), per attempt.
    """

    def __init__(self, client: GraphServiceClient, base_url: str) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self._origin = _origin(self.base_url)

    def url(self, path: str, params: Mapping[str, str | int] | None = None) -> str:
        query = f"?{urlencode(params, safe='$,()')}" if params else ""
        return f"{self.base_url}{path}{query}"

    async def get(self, url: str, label: str) -> Json:
        info = RequestInformation(Method.GET)
        info.url = url
        info.headers.try_add("Accept", "application/json")
        adapter: Any = self.client.request_adapter  # the abstract base is typed to return None
        count_call()
        try:
            raw = await adapter.send_primitive_async(info, "bytes", ERROR_MAP)
        except APIError as exc:
            raise _graph_error(exc, label) from None
        except ClientAuthenticationError as exc:
            raise TokenError(_first_line(exc.message or type(exc).__name__)) from None
        except AnswerBoundError as exc:
            raise GraphCallError(None, exc.code, str(exc), label) from None
        except httpx.HTTPError as exc:
            raise GraphCallError(None, type(exc).__name__, "the request failed", label) from None
        if not isinstance(raw, bytes | bytearray):
            raise GraphCallError(None, "EmptyResponse", "no body", label)
        try:
            body = json.loads(raw)
        except ValueError:
            raise GraphCallError(None, "InvalidJson", "the body is not JSON", label) from None
        if not isinstance(body, dict):
            raise GraphCallError(None, "InvalidJson", "the body is not an object", label)
        return body

    async def list_all(
        self, path: str, params: Mapping[str, str | int] | None = None, label: str | None = None
    ) -> list[Json]:
        """Every item of a collection. An error on any page fails the whole list."""
        label = label or f"GET {path}"
        url: str | None = self.url(path, params)
        seen: set[str] = set()
        items: list[Json] = []
        while url is not None:
            if url in seen:
                raise GraphCallError(None, "PaginationLoop", "a nextLink repeated", label)
            if len(seen) >= MAX_PAGES:
                raise GraphCallError(
                    None, "TooManyPages", f"more than {MAX_PAGES} pages: not read", label
                )
            seen.add(url)
            page = await self.get(url, label)
            value = page.get("value")
            if not isinstance(value, list):
                raise GraphCallError(None, "InvalidPage", "the page has no value list", label)
            items.extend(v for v in value if isinstance(v, dict))
            url = self._next_link(page, label)
        return items

    def _next_link(self, page: Json, label: str) -> str | None:
        link = page.get("@odata.nextLink")
        if link is None:
            return None
        if not isinstance(link, str) or not link:
            raise GraphCallError(None, "InvalidPage", "the nextLink is not a URL", label)
        link = urljoin(self.base_url + "/", link)  # Graph sends absolute links; be lenient
        if _origin(link) != self._origin:
            # Never follow (and never send a token) to another host than the configured one.
            raise GraphCallError(None, "ForeignNextLink", "nextLink leaves the endpoint", label)
        return link
