"""The offers pages' words: the fields' names and the validation errors of bot/offers_io.py
in the staff member's language (an error whose template is not known here is shown as the
CLI prints it, in English)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from bot.offers_io import RowError
from web.text import ConsoleText


def field_labels(t: ConsoleText) -> dict[str, Markup]:

    return {
        # TRANSLATORS: offer form: the offer's own id in the catalog file (letters, digits).
        "external_id": t.p_("console", "Id in the catalog file"),
        "title": t.p_("console", "Title"),
        # TRANSLATORS: offer form: the organisation that runs the offer.
        "provider": t.p_("console", "Provider"),
        "description": t.p_("console", "Description"),
        "life_areas": t.p_("console", "Life areas"),
        # TRANSLATORS: offer form: the module (1-5) of the state programme DiAA.
        "diaa_module": t.p_("console", "DiAA module"),
        # TRANSLATORS: offer form: the town or district where the offer is.
        "municipality": t.p_("console", "Town or district"),
        "address": t.p_("console", "Address"),
        "postcode": t.p_("console", "Postcode"),
        "latitude": t.p_("console", "Latitude"),
        "longitude": t.p_("console", "Longitude"),
        # TRANSLATORS: offer form: languages the offer is given in (codes like de; ar; fa_AF).
        "languages": t.p_("console", "Languages"),
        # TRANSLATORS: offer form: residence statuses the offer is open to.
        "eligible_statuses": t.p_("console", "Open to"),
        "min_age": t.p_("console", "Minimum age"),
        "max_age": t.p_("console", "Maximum age"),
        "cost": t.p_("console", "Cost"),
        "phone": t.p_("console", "Phone"),
        "email": t.p_("console", "E-mail"),
        "website": t.p_("console", "Website"),
        "opening_hours": t.p_("console", "Opening hours"),
        "starts_on": t.p_("console", "Starts on"),
        "ends_on": t.p_("console", "Ends on"),
        "appointment_needed": t.p_("console", "Appointment needed"),
        # TRANSLATORS: offer form: accessible for wheelchairs.
        "accessible": t.p_("console", "Accessible"),
        # TRANSLATORS: offer form: the day someone last checked that the offer is right.
        "last_checked": t.p_("console", "Last checked"),
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
    v = error.values
    texts: dict[str, Callable[[], Markup]] = {
        "required, but empty": lambda: t.p_("console", "Please fill this in."),
        "letters, digits and . _ : - only (at most 100)": lambda: t.p_(
            "console", "Letters, digits and . _ : - only (at most 100)."
        ),
        "longer than {limit} characters": lambda: t.p_(
            "console", "Longer than {limit} characters.", **v
        ),
        "unknown life area {value} (known: {known})": lambda: t.p_(
            "console", "Unknown life area {value} (known: {known}).", **v
        ),
        "unknown status {value} (known: duldung, gestattung, other)": lambda: t.p_(
            "console", "Unknown status {value} (known: duldung, gestattung, other).", **v
        ),
        "not a locale code: {value} (e.g. de, ar, fa_AF)": lambda: t.p_(
            "console", "Not a language code: {value} (for example de, ar, fa_AF).", **v
        ),
        "not a whole number": lambda: t.p_("console", "Not a whole number."),
        "must be from {low} to {high}": lambda: t.p_(
            "console", "Must be from {low} to {high}.", **v
        ),
        "not a number": lambda: t.p_("console", "Not a number."),
        "not an ISO date (YYYY-MM-DD)": lambda: t.p_("console", "Not a date (YYYY-MM-DD)."),
        "must be yes or no": lambda: t.p_("console", "Must be yes or no."),
        "smaller than min_age": lambda: t.p_("console", "Smaller than the minimum age."),
        "must be 5 digits": lambda: t.p_("console", "Must be 5 digits."),
        "not an e-mail address": lambda: t.p_("console", "Not an e-mail address."),
        "must start with http:// or https://": lambda: t.p_(
            "console", "Must start with http:// or https://."
        ),
        "before starts_on": lambda: t.p_("console", "Before the start date."),
        "{value} already on line {first}": lambda: t.p_(
            "console", "{value} is already on line {first}.", **v
        ),
        "this id is taken by an offer that is not of your site: choose another": lambda: t.p_(
            "console", "Another site or the shared catalog uses this id: please choose another."
        ),
        "your site has an offer with this id": lambda: t.p_(
            "console", "Your site already has an offer with this id."
        ),
        "not UTF-8 (is it Latin-1 / Windows-1252?): save the file as UTF-8 and import it again": (
            lambda: t.p_(
                "console",
                "The file is not UTF-8: save it as UTF-8 (CSV UTF-8) and upload it again.",
            )
        ),
        "missing columns: {columns}": lambda: t.p_("console", "Missing columns: {columns}.", **v),
        "unknown columns: {columns}": lambda: t.p_("console", "Unknown columns: {columns}.", **v),
        "more fields than columns": lambda: t.p_("console", "More fields than columns."),
        "not valid JSON: {reason}": lambda: t.p_("console", "Not valid JSON: {reason}.", **v),
        "expected a list of objects": lambda: t.p_("console", "Expected a list of objects."),
        "entry {index} is not an object": lambda: t.p_(
            "console", "Entry {index} is not an object.", **v
        ),
        "unknown keys: {keys}": lambda: t.p_("console", "Unknown keys: {keys}.", **v),
        "no offers in the file": lambda: t.p_("console", "There are no offers in the file."),
    }
    text = texts.get(error.template)
    return text() if text is not None else error.message
