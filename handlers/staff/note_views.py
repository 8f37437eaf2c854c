"""Screens for case notes and the caseload (staff language).

Note texts and nicknames are typed by people: always escaped before they go into
an HTML message.
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client, LifeArea, Note, NotePhase
from bot.formatting import split_text
from bot.i18n import Translator
from bot.services.notes import MAX_NOTE_LENGTH
from bot.words import phase_label as phase_label
from handlers import labels
from handlers.callbacks import ClientCb, NoteCb, StaffCb
from handlers.staff import note_draft_views as ndv
from handlers.views import Screen

#: In a list of notes each body is cut to this many characters (three fit one message).
LIST_BODY = 1000


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _menu(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())]


def name(t: Translator, client: Client) -> str:
    return escape(labels.client_name(t, client.nickname, client.id or 0))


# ----- writing a note -------------------------------------------------------------------


def pick_client(
    t: Translator,
    candidates: list[Client],
    *,
    purpose: str,
    searched: bool = False,
    draft: int | None = None,
) -> Screen:
    """`purpose` is "client" (write a note) or "list" (read notes); `searched`: the
    candidates answer a typed part of a name; `draft`: the length of the note typed
    already."""
    rows = [
        [
            _b(
                labels.client_name(t, c.nickname, c.id or 0)[:60],
                NoteCb(action=purpose, id=c.id or 0).pack(),
            )
        ]
        for c in candidates[:8]
    ]
    text: str
    if purpose == "client":
        text = t._("📝 New note: who is it about? Tap a name, or type a part of it.")
    else:
        text = t._("🗒 Whose notes? Tap a name, or type a part of it.")
    if not candidates and searched:
        text = t._("No client found. Type another part of the name, or go back.")
    if draft is not None:
        text = f"{ndv.draft_kept(t, draft)}\n\n{text}"
    rows.append(_menu(t))
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def choose_areas(
    t: Translator, client: Client, chosen: list[str], phase: str | None, draft: int | None = None
) -> Screen:
    """`draft`: the length of the note typed already."""
    buttons = []
    for area in LifeArea:
        mark = "✅ " if area.value in chosen else ""
        buttons.append(
            _b(
                f"{mark}{labels.life_area(t, area)}"[:60],
                NoteCb(action="area", value=area.value).pack(),
            )
        )
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    phases = []
    for item in NotePhase:
        mark = "✅ " if phase == item.value else ""
        phases.append(
            _b(f"{mark}{phase_label(t, item)}", NoteCb(action="phase", value=item.value).pack())
        )
    rows += [phases[i : i + 3] for i in range(0, len(phases), 3)]
    text: str
    if draft is None:
        next_step = _b(t.p_("button", "✍️ Next: type the note"), NoteCb(action="areas").pack())
        text = t._(
            "📝 Note about {client}.\nTap one or more life areas, and the phase if you like. "
            "Then tap “Next”.",
            client=name(t, client),
        )
    else:  # the note was typed already: "Next" saves it
        next_step = ndv.save_button(t)
        text = ndv.draft_kept(t, draft) + "\n\n"
        text += t._(
            "📝 Note about {client}.\nTap one or more life areas, and the phase if you like. "
            "Then tap “Save the note”.",
            client=name(t, client),
        )
    rows.append([next_step])
    rows.append([_b(t.p_("button", "✖️ Stop"), StaffCb(action="menu").pack())])
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def type_note(t: Translator, client: Client) -> Screen:
    return Screen(
        t._(
            "✍️ Now type the note about {client} and send it (up to {limit} characters).\n"
            "Lotse deletes your message from this chat once the note is saved.",
            client=name(t, client),
            limit=MAX_NOTE_LENGTH,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "⬅️ Back"), NoteCb(action="area").pack())],
            ]
        ),
    )


def areas_needed(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("Please tap at least one life area.")


def too_long(t: Translator, length: int) -> str:
    return t._(
        "This note has {length} characters; a note holds up to {limit}. "
        "Please shorten it and send it again. Your message stays here so you can copy it.",
        length=length,
        limit=MAX_NOTE_LENGTH,
    )


def text_only(t: Translator) -> str:
    return t._("Please type the note as text. Photos, voice messages and files are not saved.")


def saved(t: Translator, client: Client, note: Note) -> Screen:
    areas = ", ".join(labels.life_area(t, a) for a in note.life_areas)
    phase = f" · {phase_label(t, note.phase)}" if note.phase else ""
    return Screen(
        t._(
            "✅ Note saved for {client} ({areas}{phase}). Your message was deleted from the chat.",
            client=name(t, client),
            areas=areas,
            phase=phase,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📝 Another note"), NoteCb(action="new").pack())],
                [
                    _b(
                        t.p_("button", "🗒 Notes of this client"),
                        NoteCb(action="list", id=client.id or 0).pack(),
                    )
                ],
                _menu(t),
            ]
        ),
    )


def not_deleted(t: Translator) -> str:
    return t._(
        "⚠️ Lotse could not delete your message. Please delete it yourself (press and hold it)."
    )


# ----- reading notes --------------------------------------------------------------------


def _note_head(t: Translator, note: Note, author: str, zone: ZoneInfo) -> str:
    assert note.created_at is not None
    areas = ", ".join(labels.life_area(t, a) for a in note.life_areas)
    phase = f" · {phase_label(t, note.phase)}" if note.phase else ""
    # TRANSLATORS: after a note's life areas: the note was changed after it was written.
    edited_word = t._("edited")
    edited = f" · {edited_word}" if note.versions else ""
    return f"<b>#{note.id}</b> · {labels.when(t, note.created_at, zone)} · {escape(author)}\n{areas}{phase}{edited}"


def notes_page(
    t: Translator,
    client: Client,
    notes: list[Note],
    total: int,
    page: int,
    page_size: int,
    authors: dict[int, str],
    editable: set[int],
    zone: ZoneInfo,
    minutes: int,
) -> Screen:
    pages = max(1, -(-total // page_size))
    parts: list[str] = [
        t._(
            "🗒 Notes about {client} (page {page} of {pages}):",
            client=name(t, client),
            page=page + 1,
            pages=pages,
        )
    ]
    rows = []
    if not notes:
        parts = [t._("🗒 No notes about {client} yet.", client=name(t, client))]
    for note in notes:
        cut = split_text(note.body, LIST_BODY)[0]
        body = note.body if cut == note.body else cut + " …"
        parts.append(
            _note_head(t, note, authors.get(note.author_id, "?"), zone) + "\n" + escape(body)
        )
        line = []
        if cut != note.body:
            line.append(
                _b(
                    t.p_("button", "📖 Read #{id}", id=note.id),
                    NoteCb(action="show", id=note.id or 0).pack(),
                )
            )
        if note.id in editable:
            line.append(
                _b(
                    t.p_("button", "✏️ Edit #{id}", id=note.id),
                    NoteCb(action="edit", id=note.id or 0).pack(),
                )
            )
            line.append(
                _b(
                    t.p_("button", "🗑 Delete #{id}", id=note.id),
                    NoteCb(action="del", id=note.id or 0).pack(),
                )
            )
        if line:
            rows.append(line)
    parts.append(
        t._("🔒 This message is removed from the chat in {minutes} minutes.", minutes=minutes)
    )
    nav = []
    if page > 0:
        nav.append(_b("◀️", NoteCb(action="list", id=client.id or 0, value=str(page - 1)).pack()))
    if page + 1 < pages:
        nav.append(_b("▶️", NoteCb(action="list", id=client.id or 0, value=str(page + 1)).pack()))
    if nav:
        rows.append(nav)
    rows.append(
        [_b(t.p_("button", "📝 New note"), NoteCb(action="client", id=client.id or 0).pack())]
    )
    rows.append([_b(t.p_("button", "⬅️ Back"), ClientCb(action="view", id=client.id or 0).pack())])
    return Screen("\n\n".join(parts), InlineKeyboardMarkup(inline_keyboard=rows))


def one_note(
    t: Translator, client: Client, note: Note, author: str, zone: ZoneInfo, minutes: int
) -> Screen:
    text = (
        _note_head(t, note, author, zone)
        + "\n"
        + escape(note.body)
        + "\n\n"
        + t._("🔒 This message is removed from the chat in {minutes} minutes.", minutes=minutes)
    )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "⬅️ Back"), NoteCb(action="list", id=client.id or 0).pack())]
            ]
        ),
    )


def edit_ask(t: Translator, note: Note) -> Screen:
    return Screen(
        t._(
            "✏️ Type the new text of note #{id} and send it. The earlier text is kept in the record. "
            "Send /cancel to keep the note as it is.",
            id=note.id,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "⬅️ Back"), NoteCb(action="list", id=note.client_id).pack())]
            ]
        ),
    )


def edited(t: Translator, note: Note) -> Screen:
    return Screen(
        t._("✅ Note #{id} changed. Your message was deleted from the chat.", id=note.id),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "🗒 Notes of this client"),
                        NoteCb(action="list", id=note.client_id).pack(),
                    )
                ],
                _menu(t),
            ]
        ),
    )


def confirm_delete(t: Translator, note: Note) -> Screen:
    return Screen(
        t._("🗑 Delete note #{id}? This cannot be undone.", id=note.id),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "🗑 Yes, delete it"),
                        NoteCb(action="delok", id=note.id or 0).pack(),
                    )
                ],
                [
                    _b(
                        t.p_("button", "⬅️ No, keep the note"),
                        NoteCb(action="list", id=note.client_id).pack(),
                    )
                ],
            ]
        ),
    )


def deleted(t: Translator, note: Note) -> Screen:
    return Screen(
        t._("✓ Note #{id} deleted.", id=note.id),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "🗒 Notes of this client"),
                        NoteCb(action="list", id=note.client_id).pack(),
                    )
                ],
                _menu(t),
            ]
        ),
    )


def window_closed(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("Notes can be changed only by their author, within 24 hours.")


def not_found(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("This note or client is not available to you.")
