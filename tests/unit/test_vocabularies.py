"""Vocabularies defined once: everything that lists them is derived from the one table."""

from __future__ import annotations

from pydantic import BaseModel

from scanner.config import RENAMED, PostureConfig
from scanner.config.delivery import SinksConfig
from scanner.delivery import SINKS
from scanner.exit_codes import ExitCode
from scanner.models.enums import STATUS_ORDER, Status
from scanner.output import EVERY_FORMAT, TABLE_OR_JSON, WRITERS, Format, format_names


def test_exit_codes() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4, 5, 130, 143]


def test_every_status_has_one_place_in_the_order() -> None:
    assert sorted(STATUS_ORDER) == sorted(Status)
    assert [s.order for s in STATUS_ORDER] == [0, 1, 2, 3]
    assert STATUS_ORDER[0] is Status.FAIL and STATUS_ORDER[-1] is Status.PASS


def test_every_format_has_a_writer_and_the_help_lists_them() -> None:
    assert set(WRITERS) == set(EVERY_FORMAT) == set(Format)
    assert set(TABLE_OR_JSON) <= set(EVERY_FORMAT)
    assert format_names(TABLE_OR_JSON) == "table or json"
    assert format_names(EVERY_FORMAT).endswith(", ocsf or markdown")


def test_every_sink_has_a_config_section() -> None:
    assert set(SINKS) == set(SinksConfig.model_fields) - {"deliver"}


def _model_at(path: tuple[str, ...]) -> type[BaseModel]:
    model: type[BaseModel] = PostureConfig
    for part in path:
        annotation = model.model_fields[part].annotation
        candidates = [a for a in getattr(annotation, "__args__", (annotation,)) if a is not None]
        model = next(a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel))
    return model


def test_renamed_keys_are_gone_and_their_new_names_exist() -> None:
    for (*section, old), new in RENAMED.items():
        fields = _model_at(tuple(section)).model_fields
        assert old not in fields, old
        assert new.split()[0] in fields, new
