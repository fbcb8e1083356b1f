"""The published JSON Schema of the findings document, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from scanner.models.findings import SCHEMA_VERSION, FindingsDocument

SCHEMA_ID = f"urn:posture-scanner:findings-document:{SCHEMA_VERSION}"
"""A URN, not a URL: the schema is published in the repository and by `posture schema`, at no
address of its own; validators resolve it from the file, never over the network."""


def findings_schema() -> dict[str, Any]:
    schema = FindingsDocument.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"posture findings document {SCHEMA_VERSION}",
        **schema,
    }


def findings_schema_text() -> str:
    return json.dumps(findings_schema(), indent=2, sort_keys=True) + "\n"
