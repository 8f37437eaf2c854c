"""The offers catalog in and out: CSV (UTF-8, header row) or JSON (a list of objects).

Every row is validated; errors carry line numbers (JSON: the entry's number and
line). Nothing is imported unless every row is valid. The console's offer form uses the
same row validation (`validate_row`), and its import preview reads files with `read_file`.
An error's `template` and `values` let the console say it in the staff member's language
(web/offer_text.py); its `message` is the English the CLI prints.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from bot import spreadsheet
from bot.domain import STATUSES, LifeArea, Offer

COLUMNS = (
    "external_id",
    "title",
    "provider",
    "description",
    "life_areas",
    "diaa_module",
    "municipality",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "languages",
    "eligible_statuses",
    "min_age",
    "max_age",
    "cost",
    "phone",
    "email",
    "website",
    "opening_hours",
    "starts_on",
    "ends_on",
    "appointment_needed",
    "accessible",
    "last_checked",
)
REQUIRED = ("external_id", "title", "provider", "life_areas", "municipality")
_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_LANG = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_LIMITS = {
    "title": 200,
    "provider": 200,
    "description": 2000,
    "municipality": 100,
    "address": 300,
    "cost": 200,
    "phone": 50,
    "email": 200,
    "website": 500,
    "opening_hours": 300,
}


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str
    #: The message before its values were filled in (`message` = template.format(**values)).
    template: str = ""
    values: dict[str, str] = dataclass_field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, line: int, column: str, template: str, /, **values: object) -> RowError:
        texts = {key: str(value) for key, value in values.items()}
        return cls(line, column, template.format(**texts), template, texts)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class OfferFileError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def validate_row(row: dict[str, str], line: int = 0) -> tuple[Offer | None, list[RowError]]:
    """One offer from its cells (COLUMNS, as strings), or None and what is wrong with it."""
    errors: list[RowError] = []
    return _row_to_offer(row, line, errors), errors


def offer_row(offer: Offer) -> dict[str, str]:
    """An offer's cells as a file (or the console's form) has them: validate_row's input."""
    return {key: str(value) for key, value in zip(COLUMNS, _csv_row(offer), strict=True)}


def _row_to_offer(row: dict[str, str], line: int, errors: list[RowError]) -> Offer | None:
    start = len(errors)

    def fail(column: str, template: str, **values: object) -> None:
        errors.append(RowError.of(line, column, template, **values))

    values = {key: (row.get(key) or "").strip() for key in COLUMNS}
    for key in REQUIRED:
        if not values[key]:
            fail(key, "required, but empty")
    if values["external_id"] and not _ID.match(values["external_id"]):
        fail("external_id", "letters, digits and . _ : - only (at most 100)")
    for key, limit in _LIMITS.items():
        if len(values[key]) > limit:
            fail(key, "longer than {limit} characters", limit=limit)
    areas = []
    for part in _list(values["life_areas"]):
        try:
            areas.append(LifeArea(part))
        except ValueError:
            fail(
                "life_areas",
                "unknown life area {value} (known: {known})",
                value=repr(part),
                known=", ".join(a.value for a in LifeArea),
            )
    statuses = _list(values["eligible_statuses"]) or list(STATUSES)
    for part in statuses:
        if part not in STATUSES:
            fail(
                "eligible_statuses",
                "unknown status {value} (known: duldung, gestattung, other)",
                value=repr(part),
            )
    languages = _list(values["languages"])
    for part in languages:
        if not _LANG.match(part):
            fail("languages", "not a locale code: {value} (e.g. de, ar, fa_AF)", value=repr(part))

    def integer(key: str, low: int, high: int) -> int | None:
        if not values[key]:
            return None
        try:
            number = int(values[key])
        except ValueError:
            fail(key, "not a whole number")
            return None
        if not low <= number <= high:
            fail(key, "must be from {low} to {high}", low=low, high=high)
        return number

    def decimal(key: str, low: float, high: float) -> float | None:
        if not values[key]:
            return None
        try:
            number = float(values[key].replace(",", "."))
        except ValueError:
            fail(key, "not a number")
            return None
        if not low <= number <= high:
            fail(key, "must be from {low} to {high}", low=low, high=high)
        return number

    def day(key: str) -> date | None:
        if not values[key]:
            return None
        try:
            return date.fromisoformat(values[key])
        except ValueError:
            fail(key, "not an ISO date (YYYY-MM-DD)")
            return None

    def yes_no(key: str) -> bool | None:
        value = values[key].lower()
        if not value:
            return None
        if value not in ("yes", "no"):
            fail(key, "must be yes or no")
            return None
        return value == "yes"

    module = integer("diaa_module", 1, 5)
    min_age, max_age = integer("min_age", 0, 120), integer("max_age", 0, 120)
    if min_age is not None and max_age is not None and min_age > max_age:
        fail("max_age", "smaller than min_age")
    if values["postcode"] and not re.match(r"^\d{5}$", values["postcode"]):
        fail("postcode", "must be 5 digits")
    if values["email"] and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", values["email"]):
        fail("email", "not an e-mail address")
    if values["website"] and not re.match(r"^https?://\S+$", values["website"]):
        fail("website", "must start with http:// or https://")
    offer = Offer(
        external_id=values["external_id"],
        title=values["title"],
        provider=values["provider"],
        life_areas=areas,
        municipality=values["municipality"],
        description=values["description"],
        diaa_module=module,
        address=values["address"],
        postcode=values["postcode"],
        latitude=decimal("latitude", -90, 90),
        longitude=decimal("longitude", -180, 180),
        languages=languages,
        eligible_statuses=statuses,
        min_age=min_age,
        max_age=max_age,
        cost=values["cost"],
        phone=values["phone"],
        email=values["email"],
        website=values["website"],
        opening_hours=values["opening_hours"],
        starts_on=day("starts_on"),
        ends_on=day("ends_on"),
        appointment_needed=yes_no("appointment_needed"),
        accessible=yes_no("accessible"),
        last_checked=day("last_checked"),
    )
    if offer.starts_on and offer.ends_on and offer.starts_on > offer.ends_on:
        fail("ends_on", "before starts_on")
    return offer if len(errors) == start else None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OfferFileError(
            [
                RowError.of(
                    line,
                    "",
                    "not UTF-8 (is it Latin-1 / Windows-1252?): "
                    "save the file as UTF-8 and import it again",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def _check_duplicates(ids: list[tuple[int, str]], errors: list[RowError]) -> None:
    seen: dict[str, int] = {}
    for line, external_id in ids:
        if not external_id:
            continue
        if external_id in seen:
            errors.append(
                RowError.of(
                    line,
                    "external_id",
                    "{value} already on line {first}",
                    value=repr(external_id),
                    first=seen[external_id],
                )
            )
        else:
            seen[external_id] = line


@dataclass(frozen=True)
class FileRows:
    """What a file holds: its valid offers with their lines, and every error found."""

    rows: list[tuple[int, Offer]]
    errors: list[RowError]


def read_file(name: str, data: bytes) -> FileRows:
    """Every valid row and every error of a file (CSV, or JSON by its name), raising
    nothing: the console's import preview shows both."""
    try:
        rows, ids, errors = (_read_json if name.lower().endswith(".json") else _read_csv)(data)
    except OfferFileError as exc:
        return FileRows([], exc.errors)
    _check_duplicates(ids, errors)
    if not rows and not errors:
        errors.append(RowError.of(0, "", "no offers in the file"))
    return FileRows(rows, errors)


_Read = tuple[list[tuple[int, Offer]], list[tuple[int, str]], list[RowError]]


def parse_csv(data: bytes) -> list[Offer]:
    return _all_or_nothing(*_read_csv(data))


def parse_json(data: bytes) -> list[Offer]:
    return _all_or_nothing(*_read_json(data))


def _read_csv(data: bytes) -> _Read:
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    errors: list[RowError] = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        errors.append(RowError.of(1, "", "missing columns: {columns}", columns=", ".join(missing)))
    if unknown:
        errors.append(RowError.of(1, "", "unknown columns: {columns}", columns=", ".join(unknown)))
    if errors:
        raise OfferFileError(errors)
    rows: list[tuple[int, Offer]] = []
    ids: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(RowError.of(line, "", "more fields than columns"))
            continue
        # Cells of our own export come back with their spreadsheet guard: it goes.
        row = {key: spreadsheet.unguarded(value or "") for key, value in row.items()}
        ids.append((line, (row.get("external_id") or "").strip()))
        offer = _row_to_offer(row, line, errors)
        if offer is not None:
            rows.append((line, offer))
    return rows, ids, errors


def _read_json(data: bytes) -> _Read:
    text = _decode(data)
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OfferFileError(
            [RowError.of(exc.lineno, "", "not valid JSON: {reason}", reason=exc.msg)]
        ) from None
    if not isinstance(entries, list):
        raise OfferFileError([RowError.of(1, "", "expected a list of objects")])
    errors: list[RowError] = []
    rows: list[tuple[int, Offer]] = []
    ids: list[tuple[int, str]] = []
    starts = [m.start() for m in re.finditer(r"\{", text)]
    for index, entry in enumerate(entries, start=1):
        # The entry's line: where its opening brace is (good enough for flat objects).
        line = text[: starts[index - 1]].count("\n") + 1 if index - 1 < len(starts) else index
        if not isinstance(entry, dict):
            errors.append(RowError.of(line, "", "entry {index} is not an object", index=index))
            continue
        unknown = [key for key in entry if key not in COLUMNS]
        if unknown:
            errors.append(RowError.of(line, "", "unknown keys: {keys}", keys=", ".join(unknown)))
        row = {key: _json_value(value) for key, value in entry.items()}
        ids.append((line, row.get("external_id", "").strip()))
        offer = _row_to_offer(row, line, errors)
        if offer is not None:
            rows.append((line, offer))
    return rows, ids, errors


def _all_or_nothing(
    rows: list[tuple[int, Offer]], ids: list[tuple[int, str]], errors: list[RowError]
) -> list[Offer]:
    """Every offer of the file, or OfferFileError with every error found (duplicate ids
    too): nothing is imported unless every row is valid."""
    _check_duplicates(ids, errors)
    if errors:
        raise OfferFileError(errors)
    if not rows:
        raise OfferFileError([RowError.of(0, "", "no offers in the file")])
    return [offer for _, offer in rows]


def _json_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def parse_file(name: str, data: bytes) -> list[Offer]:
    if name.lower().endswith(".json"):
        return parse_json(data)
    return parse_csv(data)


def to_csv(offers: list[Offer]) -> str:
    """The catalog as CSV (COLUMNS), safe to open in a spreadsheet (bot.spreadsheet)."""
    return spreadsheet.to_csv(COLUMNS, [_csv_row(o) for o in offers])


def _csv_row(o: Offer) -> list[object]:
    return [
        o.external_id,
        o.title,
        o.provider,
        o.description,
        ";".join(a.value for a in o.life_areas),
        o.diaa_module or "",
        o.municipality,
        o.address,
        o.postcode,
        "" if o.latitude is None else o.latitude,
        "" if o.longitude is None else o.longitude,
        ";".join(o.languages),
        ";".join(o.eligible_statuses),
        "" if o.min_age is None else o.min_age,
        "" if o.max_age is None else o.max_age,
        o.cost,
        o.phone,
        o.email,
        o.website,
        o.opening_hours,
        o.starts_on or "",
        o.ends_on or "",
        "" if o.appointment_needed is None else ("yes" if o.appointment_needed else "no"),
        "" if o.accessible is None else ("yes" if o.accessible else "no"),
        o.last_checked or "",
    ]
