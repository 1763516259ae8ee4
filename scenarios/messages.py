"""Pydantic's validation errors, said the way a trainer can act on them, at ``file:line:col``.

Pydantic reports where an error is as a ``loc`` that mixes field names with the tags of
discriminated unions (``sites, 0, intake, population``). Walking the ``loc`` alongside the
model's types tells tags from fields, so the path shown is the file's own
(``sites[0].population``) and the YAML node tree can place it.
"""

from __future__ import annotations

import difflib
import math
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag, ValidationError
from pydantic.fields import FieldInfo

from scenarios.errors import Problem
from scenarios.paths import DataPath, PathPart, format_path
from scenarios.types import FIELD_CHECK, Text
from scenarios.yamlsource import Source

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class _Walk:
    """Where a ``loc`` leads: the document path, the model owning the last field, the type."""

    path: DataPath
    owner: type[BaseModel] | None
    pending: Any
    discriminator: Any


def validation_problems(
    error: ValidationError, model: type[BaseModel], source: Source | None, name: str
) -> list[Problem]:
    """Every error of ``error`` as a located :class:`Problem` with a friendly message.

    Args:
        error: What ``model.model_validate`` raised.
        model: The model that was validated (its types tell union tags from field names).
        source: The parsed file, for line and column; ``None`` for data with no file.
        name: The file name shown in each problem.
    """
    problems: list[Problem] = []
    for detail in error_details(error, model, source):
        line, col = (0, 0) if source is None else source.locate(detail.path, key=detail.at_key)
        problems.append(Problem(name, line, col, format_path(detail.path), detail.message))
    return sorted(set(problems))


@dataclass(frozen=True)
class Detail:
    """One validation error: the document path, a friendly message, and whether the key is
    at fault (an unknown field) rather than its value."""

    path: DataPath
    message: str
    at_key: bool = False


def error_details(
    error: ValidationError, model: type[BaseModel], source: Source | None = None
) -> list[Detail]:
    """The errors of ``error`` with document paths and friendly messages, not yet located.

    ``source``, when given, lets a message quote the value exactly as the file wrote it.
    """
    details = []
    meant: set[DataPath] = set()  # fields that a misspelt key was probably meant to be
    for err in error.errors(include_url=False):
        if _is_echo(err):
            continue
        walk = walk_loc(model, err["loc"])
        if err["type"] == "extra_forbidden" and walk.path:
            close = closest(str(walk.path[-1]), _field_names(walk.owner))
            if close is not None:
                meant.add((*walk.path[:-1], close))
        details.append(Detail(*_describe(err, walk, source)))
    # `lenght_km: 30` is one mistake: "unknown field 'lenght_km' (did you mean 'length_km'?)"
    # says it all, so "length_km: required field missing" is not reported as a second one.
    return [d for d in details if not (d.message == _MISSING and d.path in meant)]


_MISSING = "required field missing"


def _is_echo(err: Any) -> bool:
    """Pydantic adds "at least N items after validation" when items failed: not a new fact."""
    if err["type"] != "too_short":
        return False
    ctx = err.get("ctx") or {}
    value = err.get("input")
    return isinstance(value, list | tuple) and len(value) >= int(ctx.get("min_length", 0))


# --- walking a loc through the types ---------------------------------------------------------


def walk_loc(model: type[BaseModel], loc: Sequence[PathPart]) -> _Walk:
    """Follow ``loc`` through ``model``'s field types, dropping discriminated-union tags."""
    path: list[PathPart] = []
    owner: type[BaseModel] | None = None
    tp: Any = model
    i = 0
    while i < len(loc):
        part = loc[i]
        tp, disc = _unwrap(tp)
        if disc is not None:
            tp = _member_for_tag(tp, disc, part)
            i += 1
            continue
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            owner = tp
            path.append(part)
            field = _field(tp, part)
            tp = _field_type(field) if field is not None else Any
        elif origin in (tuple, list) and isinstance(part, int):
            path.append(part)
            args = get_args(tp)
            if origin is tuple and args and args[-1] is not Ellipsis:
                tp = args[part] if part < len(args) else Any
            else:
                tp = args[0] if args else Any
        elif origin is dict:
            path.append(part)
            args = get_args(tp)
            tp = args[1] if len(args) == 2 else Any
        elif _is_union(tp):
            tp = Any  # a plain union: pydantic names the member tried; that is no file path
        else:
            path.extend(loc[i:])
            break
        i += 1
    tp, disc = _unwrap(tp)
    return _Walk(tuple(path), owner, tp, disc)


class _Named:
    """A field-level ``discriminator="kind"`` carried along with the field's type."""

    def __init__(self, name: str) -> None:
        self.name = name


def _field(model: type[BaseModel], part: PathPart) -> FieldInfo | None:
    for name, field in model.model_fields.items():
        if part in (name, field.alias):
            return field
    return None


def _field_type(field: FieldInfo) -> Any:
    meta: list[Any] = [m for m in field.metadata if isinstance(m, Discriminator)]
    if isinstance(field.discriminator, str):
        meta.append(_Named(field.discriminator))
    elif isinstance(field.discriminator, Discriminator):
        meta.append(field.discriminator)
    if not meta:
        return field.annotation
    return Annotated.__class_getitem__((field.annotation, *meta))  # type: ignore[attr-defined]


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _unwrap(tp: Any) -> tuple[Any, Any]:
    """Strip ``Annotated`` and ``| None``; return the type and its discriminator, if any."""
    disc: Any = None
    while True:
        if get_origin(tp) is Annotated:
            base, *meta = get_args(tp)
            for item in meta:
                if isinstance(item, Discriminator | _Named):
                    disc = item
                elif isinstance(item, FieldInfo) and item.discriminator is not None:
                    disc = item.discriminator
            tp = base
            continue
        if _is_union(tp):
            members = [m for m in get_args(tp) if m is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp, disc


def _disc_name(disc: Any) -> str | None:
    if isinstance(disc, str):
        return disc
    if isinstance(disc, _Named):
        return disc.name
    if isinstance(disc, Discriminator) and isinstance(disc.discriminator, str):
        return disc.discriminator
    return None


def _members(union: Any, disc: Any) -> Iterable[tuple[list[str], Any]]:
    """Each member of a discriminated union with the tags that select it."""
    name = _disc_name(disc)
    for member in get_args(union) if _is_union(union) else (union,):
        base, meta = member, cast(tuple[Any, ...], ())
        if get_origin(member) is Annotated:
            base, *meta_list = get_args(member)
            meta = tuple(meta_list)
        tags = [str(m.tag) for m in meta if isinstance(m, Tag)]
        if not tags and name and isinstance(base, type) and issubclass(base, BaseModel):
            field = base.model_fields.get(name)
            if field is not None and get_origin(field.annotation) is Literal:
                tags = [str(getattr(v, "value", v)) for v in get_args(field.annotation)]
        yield tags, base


def _member_for_tag(union: Any, disc: Any, tag: PathPart) -> Any:
    for tags, base in _members(union, disc):
        if str(tag) in tags:
            return base
    return Any


def union_tags(union: Any, disc: Any) -> list[str]:
    """All tags a discriminated union accepts, in declaration order."""
    return [tag for tags, _ in _members(union, disc) for tag in tags]


# --- messages ---------------------------------------------------------------------------------


def _describe(err: Any, walk: _Walk, source: Source | None) -> tuple[DataPath, str, bool]:
    """The path to show, the message and whether to point at the key rather than the value."""
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    path = walk.path
    written = source.value(path) if source is not None else None
    got = show(written if written is not None else err.get("input"))
    if kind == "missing":
        return path, _MISSING, False
    if kind == FIELD_CHECK:  # a model check that blames one field (types.field_error)
        return (*path, str(ctx["field"])), str(ctx["message"]), False
    if kind == "extra_forbidden":
        field = str(path[-1]) if path else "?"
        known = _field_names(walk.owner)
        return path, f"unknown field {field!r}{did_you_mean(field, known)}", True
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        disc = _disc_name(walk.discriminator) or _QUOTED.sub(r"\1", str(ctx.get("discriminator")))
        tags = union_tags(walk.pending, walk.discriminator) or _QUOTED.findall(
            str(ctx.get("expected_tags", ""))
        )
        if kind == "union_tag_not_found":
            return path, f"missing {disc}: give one of {', '.join(tags)}", False
        tag = str(ctx.get("tag"))
        hint = did_you_mean(tag, tags)
        return (*path, disc), f"{disc} must be one of {', '.join(tags)} (got {tag!r}){hint}", False
    if kind in ("enum", "literal_error"):
        return path, _one_of(str(ctx.get("expected", "")), err.get("input"), got), False
    if kind == "trigger" and isinstance(err.get("input"), dict):
        keys = ", ".join(str(k) for k in err["input"]) or "none"
        return path, f"{err['msg']} (got {keys})", False
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error") or err["msg"])
        return path, message, False
    return path, _simple(kind, ctx, got, walk, err["msg"]), False


_COMPARE = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}


def _simple(kind: str, ctx: dict[str, Any], got: str, walk: _Walk, fallback: str) -> str:
    if kind in _COMPARE:
        key, sign = _COMPARE[kind]
        return f"must be {sign} {show(ctx.get(key))} (got {got})"
    if kind == "too_short":
        count = int(ctx.get("min_length", 1))
        return f"needs at least {count} item{'s' if count != 1 else ''}"
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')} items"
    if kind == "string_too_short":
        count = int(ctx.get("min_length", 1))
        return "must not be empty" if count == 1 else f"needs at least {count} characters"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == _ID_PATTERN:
            return (
                f"{got} is not a valid id: start with a letter or digit, then use letters, "
                "digits, '-', '_' or '.'"
            )
        return f"{got} does not match the pattern {ctx.get('pattern')}"
    if kind == "finite_number":
        return f"must be a finite number (got {got})"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number (got {got})"
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return f"must be a whole number (got {got})"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be true or false (got {got})"
    if kind in ("string_type", "string_sub_type"):
        return f"must be text (got {got})"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        if walk.pending is Text:
            return f"must be text, or {{zh: …, en: …}} (got {got})"
        return f"must be a mapping of fields (got {got})"
    if kind in ("tuple_type", "list_type", "iterable_type", "sequence_str", "set_type"):
        return f"must be a list (got {got})"
    if kind.startswith("datetime") or kind.startswith("date_"):
        return f"must be a date and time such as 2025-09-12T02:10:00+08:00 (got {got})"
    return f"{fallback} (got {got})"


def _one_of(expected: str, value: Any, got: str) -> str:
    allowed = _QUOTED.findall(expected)
    if not allowed:  # Literal[True] reports its one value bare
        word = {"True": "true", "False": "false"}.get(expected, expected)
        return f"must be {word} (got {got})"
    hint = did_you_mean(str(value), allowed) if isinstance(value, str) else ""
    return f"must be one of {', '.join(allowed)} (got {got}){hint}"


def _field_names(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'length_km'?)`` when a close match exists, else ``""``."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close is not None else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` is most likely a misspelling of, if any is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def show(value: Any) -> str:
    """A value as it would be written in the file, short enough for a one-line message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):  # as YAML writes them
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "…"
        return repr(text)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)[:40]
