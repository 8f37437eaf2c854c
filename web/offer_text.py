"""The offers pages' words: the fields' names and the validation errors of bot/offers_io.py
in the staff member's language (an error whose template is not known here is shown as the
CLI prints it, in English)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from bot.offers_io import RowError
from web.text import ConsoleText


def field_labels(t: ConsoleText) -> dict[str, Markup]:
    p = t.p_
    return {
        # TRANSLATORS: offer form: the offer's own id in the catalog file (letters, digits).
        "external_id": p("console", "Id in the catalog file"),
        "title": p("console", "Title"),
        # TRANSLATORS: offer form: the organisation that runs the offer.
        "provider": p("console", "Provider"),
        "description": p("console", "Description"),
        "life_areas": p("console", "Life areas"),
        # TRANSLATORS: offer form: the module (1-5) of the state programme DiAA.
        "diaa_module": p("console", "DiAA module"),
        # TRANSLATORS: offer form: the town or district where the offer is.
        "municipality": p("console", "Town or district"),
        "address": p("console", "Address"),
        "postcode": p("console", "Postcode"),
        "latitude": p("console", "Latitude"),
        "longitude": p("console", "Longitude"),
        # TRANSLATORS: offer form: languages the offer is given in (codes like de; ar; fa_AF).
        "languages": p("console", "Languages"),
        # TRANSLATORS: offer form: residence statuses the offer is open to.
        "eligible_statuses": p("console", "Open to"),
        "min_age": p("console", "Minimum age"),
        "max_age": p("console", "Maximum age"),
        "cost": p("console", "Cost"),
        "phone": p("console", "Phone"),
        "email": p("console", "E-mail"),
        "website": p("console", "Website"),
        "opening_hours": p("console", "Opening hours"),
        "starts_on": p("console", "Starts on"),
        "ends_on": p("console", "Ends on"),
        "appointment_needed": p("console", "Appointment needed"),
        # TRANSLATORS: offer form: accessible for wheelchairs.
        "accessible": p("console", "Accessible"),
        # TRANSLATORS: offer form: the day someone last checked that the offer is right.
        "last_checked": p("console", "Last checked"),
    }


def status_labels(t: ConsoleText) -> dict[str, Markup]:
    return {
        # TRANSLATORS: residence status: tolerated stay (Duldung).
        "duldung": t.p_("console", "Duldung"),
        # TRANSLATORS: residence status: asylum procedure pending (Aufenthaltsgestattung).
        "gestattung": t.p_("console", "Gestattung"),
        "other": t.p_("console", "other status"),
    }


def error_text(t: ConsoleText, error: RowError) -> Markup | str:
    v, p = error.values, t.p_
    texts: dict[str, Callable[[], Markup]] = {
        "required, but empty": lambda: p("console", "Please fill this in."),
        "letters, digits and . _ : - only (at most 100)": lambda: p(
            "console", "Letters, digits and . _ : - only (at most 100)."
        ),
        "longer than {limit} characters": lambda: p(
            "console", "Longer than {limit} characters.", **v
        ),
        "unknown life area {value} (known: {known})": lambda: p(
            "console", "Unknown life area {value} (known: {known}).", **v
        ),
        "unknown status {value} (known: duldung, gestattung, other)": lambda: p(
            "console", "Unknown status {value} (known: duldung, gestattung, other).", **v
        ),
        "not a locale code: {value} (e.g. de, ar, fa_AF)": lambda: p(
            "console", "Not a language code: {value} (for example de, ar, fa_AF).", **v
        ),
        "not a whole number": lambda: p("console", "Not a whole number."),
        "must be from {low} to {high}": lambda: p("console", "Must be from {low} to {high}.", **v),
        "not a number": lambda: p("console", "Not a number."),
        "not an ISO date (YYYY-MM-DD)": lambda: p("console", "Not a date (YYYY-MM-DD)."),
        "must be yes or no": lambda: p("console", "Must be yes or no."),
        "smaller than min_age": lambda: p("console", "Smaller than the minimum age."),
        "must be 5 digits": lambda: p("console", "Must be 5 digits."),
        "not an e-mail address": lambda: p("console", "Not an e-mail address."),
        "must start with http:// or https://": lambda: p(
            "console", "Must start with http:// or https://."
        ),
        "before starts_on": lambda: p("console", "Before the start date."),
        "{value} already on line {first}": lambda: p(
            "console", "{value} is already on line {first}.", **v
        ),
        "this id is taken by an offer that is not of your site: choose another": lambda: p(
            "console", "Another site or the shared catalog uses this id: please choose another."
        ),
        "your site has an offer with this id": lambda: p(
            "console", "Your site already has an offer with this id."
        ),
        "not UTF-8 (is it Latin-1 / Windows-1252?): save the file as UTF-8 and import it again": (
            lambda: p(
                "console",
                "The file is not UTF-8: save it as UTF-8 (CSV UTF-8) and upload it again.",
            )
        ),
        "missing columns: {columns}": lambda: p("console", "Missing columns: {columns}.", **v),
        "unknown columns: {columns}": lambda: p("console", "Unknown columns: {columns}.", **v),
        "more fields than columns": lambda: p("console", "More fields than columns."),
        "not valid JSON: {reason}": lambda: p("console", "Not valid JSON: {reason}.", **v),
        "expected a list of objects": lambda: p("console", "Expected a list of objects."),
        "entry {index} is not an object": lambda: p(
            "console", "Entry {index} is not an object.", **v
        ),
        "unknown keys: {keys}": lambda: p("console", "Unknown keys: {keys}.", **v),
        "no offers in the file": lambda: p("console", "There are no offers in the file."),
    }
    text = texts.get(error.template)
    return text() if text is not None else error.message
