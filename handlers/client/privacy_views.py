"""The client's data export and what case managers are told on erasure and retention."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import AppointmentStatus, Client, LifeArea
from bot.i18n import Translator
from handlers import labels

_STATUS = {
    AppointmentStatus.BOOKED.value: "📅",
    AppointmentStatus.ATTENDED.value: "✅",
    AppointmentStatus.NO_SHOW.value: "❌",
    AppointmentStatus.CANCELLED.value: "✖️",
}


def export_file(export: dict[str, Any]) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def export_summary(t: Translator, export: dict[str, Any], zone: ZoneInfo) -> str:
    """A readable summary in the client's language; the file holds everything."""
    me = (export.get("clients") or [{}])[0]
    lines = [t._("📦 <b>Your data in Lotse</b>"), ""]
    lines.append(t._("Language: {language}", language=labels.language_name(me.get("locale"))))
    if me.get("consented_at"):
        lines.append(
            t._(
                "You agreed on: {day}",
                day=labels.day_label(t, datetime.fromisoformat(me["consented_at"]), zone),
            )
        )
    if me.get("phone"):
        lines.append(t._("Phone number: {phone}", phone=escape(me["phone"])))
    appointments = export.get("appointments", [])
    lines.append("")
    lines.append(
        t.n_(
            "You have {n} appointment in Lotse:",
            "You have {n} appointments in Lotse:",
            len(appointments),
        )
    )
    for a in appointments[:20]:
        when = labels.when(t, datetime.fromisoformat(a["starts_at"]), zone)
        topic = labels.life_area(t, LifeArea(a["topic"]))
        lines.append(f"{_STATUS.get(a['status'], '•')} {when} · {topic}")
    messages = export.get("relay_messages", [])
    lines.append(
        t.n_("Messages with your advisor: {n}", "Messages with your advisor: {n}", len(messages))
    )
    notes = export.get("notes", [])
    if notes:
        lines.append(
            t.n_(
                "Your advisor wrote {n} note about your case. Ask your advisor if you want to read it.",
                "Your advisor wrote {n} notes about your case. Ask your advisor if you want to read them.",
                len(notes),
            )
        )
    lines.append("")
    lines.append(t._("The file below holds all of it (JSON, for experts)."))
    return "\n".join(lines)


def staff_told_erased(
    t: Translator,
    *,
    cancelled: list[datetime],
    notes: int,
    anonymised: bool,
    zone: ZoneInfo,
    inactive: bool = False,
) -> str:
    lines: list[str] = [
        t._("🗑 A client's data was deleted after a long time without activity.")
        if inactive
        else t._("🗑 A client deleted their data in Lotse.")
    ]
    if cancelled:
        lines.append(t._("These appointments are cancelled:"))
        lines += [f"• {labels.when(t, when, zone)}" for when in cancelled]
    if notes and anonymised:
        lines.append(
            t.n_(
                "{n} note was kept without its text and without a link to the person.",
                "{n} notes were kept without their text and without a link to the person.",
                notes,
            )
        )
    elif notes:
        lines.append(t.n_("{n} note was deleted.", "{n} notes were deleted.", notes))
    return "\n".join(lines)


def retention_warning(t: Translator, client: Client, erase_on: datetime, zone: ZoneInfo) -> str:
    return t._(
        "⏳ {client} has not used Lotse for a long time. Their data will be deleted on {day} "
        "unless they write to Lotse or book an appointment before.",
        client=escape(labels.client_name(t, client.nickname, client.id or 0)),
        day=labels.day_label(t, erase_on, zone),
    )
