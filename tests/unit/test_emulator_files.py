"""Files, copies, contacts and reply keyboards in the Bot API emulator, through aiogram's client."""

from __future__ import annotations

import struct
import zlib

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramEntityTooLarge
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from emulator import EmulatorServer

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:1@test\r\nDTSTART:20250301T090000Z\r\nSUMMARY:Termin beim Jobcenter\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_send_ics_document_with_caption_and_read_it_back(
    server: EmulatorServer, bot: Bot
) -> None:
    server.emulator.user(7)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="ok", callback_data="ok")]]
    )
    message = await bot.send_document(
        7,
        BufferedInputFile(ICS, filename="termin.ics"),
        caption="<b>Ihr Termin</b> &amp; mehr",
        parse_mode="HTML",
        reply_markup=keyboard,
        protect_content=True,
        disable_notification=True,
    )
    assert message.caption == "Ihr Termin & mehr"
    assert message.document is not None
    assert message.document.file_name == "termin.ics"
    assert message.document.mime_type == "text/calendar"
    assert message.document.file_size == len(ICS)
    assert message.reply_markup is not None
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "ok"
    assert message.has_protected_content

    [stored] = server.emulator.chat(7)
    assert (
        stored.kind == "document"
        and stored.data == ICS
        and stored.silent
        and stored.protect_content
    )
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.base_url}/_emulator/file/7/{message.message_id}") as response:
            assert response.content_type == "text/calendar"
            assert "SUMMARY:Termin beim Jobcenter" in (await response.read()).decode()
        async with http.get(f"{server.base_url}/_emulator/chat/7") as response:
            [listed] = await response.json()
    assert listed["kind"] == "document" and listed["file_name"] == "termin.ics"
    assert (
        listed["caption"] == "Ihr Termin & mehr"
        and listed["silent"] is True
        and listed["text"] is None
    )

    # The same file again by its file_id, and an unknown file_id.
    again = await bot.send_document(7, message.document.file_id)
    assert again.document is not None
    assert again.document.file_unique_id == message.document.file_unique_id
    assert server.emulator.chat(7)[-1].data == ICS and server.emulator.chat(7)[-1].silent is False
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(7, "no-such-file")


async def test_send_photo_png(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    png = _png(400, 200)
    message = await bot.send_photo(7, BufferedInputFile(png, filename="qr.png"), caption="QR")
    assert message.caption == "QR"
    assert message.photo is not None
    largest = message.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (400, 200, len(png))
    assert message.photo[0].width == 90  # Telegram's thumbnail size comes first
    [stored] = server.emulator.chat(7)
    assert stored.kind == "photo" and stored.mime_type == "image/png"
    assert stored.data is not None
    assert struct.unpack(">II", stored.data[16:24]) == (400, 200)
    assert (
        zlib.decompress(stored.data[41 : 41 + struct.unpack(">I", stored.data[33:37])[0]])[:4]
        == b"\x00\xff\x00\x00"
    )
    # Re-sent by file_id; a document's file_id is not a photo; not an image at all.
    resent = await bot.send_photo(7, largest.file_id)
    assert resent.photo is not None
    assert resent.photo[-1].file_unique_id == largest.file_unique_id
    document = await bot.send_document(7, BufferedInputFile(b"x", filename="a.txt"))
    assert document.document is not None
    with pytest.raises(TelegramBadRequest, match="type of file mismatch"):
        await bot.send_photo(7, document.document.file_id)
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(7, BufferedInputFile(b"not an image", filename="x.png"))


async def test_caption_too_long_and_file_too_large(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    await bot.send_document(7, BufferedInputFile(ICS, filename="a.ics"), caption="ب" * 1024)
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(7, BufferedInputFile(ICS, filename="a.ics"), caption="ب" * 1025)
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(7, BufferedInputFile(_png(2, 2), filename="a.png"), caption="x" * 1025)
    with pytest.raises(TelegramEntityTooLarge, match="Request Entity Too Large"):
        await bot.send_document(
            7, BufferedInputFile(b"\0" * (50 * 1024 * 1024 + 1), filename="big.bin")
        )
    assert len(server.emulator.chat(7)) == 1


async def test_copy_message_of_a_user_voice(server: EmulatorServer, bot: Bot) -> None:
    emulator = server.emulator
    emulator.user(8)
    update = await emulator.user_message(7, kind="voice")
    voice_id = update["message"]["message_id"]
    copied = await bot.copy_message(chat_id=8, from_chat_id=7, message_id=voice_id, caption="von 7")
    [stored] = emulator.chat(8)
    assert stored.message_id == copied.message_id
    assert stored.kind == "voice" and stored.caption == "von 7"
    assert stored.media["voice"]["file_id"] == update["message"]["voice"]["file_id"]
    # A bot's text message can be copied too; unknown or deleted sources cannot.
    sent = await bot.send_message(7, "Hallo")
    await bot.copy_message(chat_id=8, from_chat_id=7, message_id=sent.message_id)
    assert emulator.chat(8)[-1].visible == "Hallo"
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(chat_id=8, from_chat_id=7, message_id=999)
    await bot.delete_message(7, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(chat_id=8, from_chat_id=7, message_id=sent.message_id)


async def test_contact_from_the_user_arrives_through_get_updates(
    server: EmulatorServer, bot: Bot
) -> None:
    await server.emulator.user_message(7, kind="contact")
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{server.base_url}/_emulator/message",
            json={"user_id": 9, "kind": "contact", "phone_number": "+491701234567"},
        ) as response:
            assert (await response.json())["message"]["contact"]["phone_number"] == "+491701234567"
    first, second = (update.message for update in await bot.get_updates(timeout=1))
    assert first is not None and first.contact is not None and first.from_user is not None
    assert second is not None and second.contact is not None
    assert first.contact.phone_number == "+4915112345678"
    assert first.contact.user_id == 7 == first.from_user.id
    assert first.contact.first_name == "Test"
    assert second.contact.phone_number == "+491701234567" and second.contact.user_id == 9


async def test_reply_keyboard_with_request_contact_is_accepted(
    server: EmulatorServer, bot: Bot
) -> None:
    server.emulator.user(7)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📞 Nummer teilen", request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    message = await bot.send_message(
        7, "Ihre Nummer?", reply_markup=keyboard, disable_notification=True
    )
    assert message.reply_markup is None  # Telegram returns only inline keyboards in a Message
    await bot.send_message(7, "Danke", reply_markup=ReplyKeyboardRemove())
    asked, thanked = server.emulator.chat(7)
    assert asked.reply_markup is not None
    assert asked.reply_markup["keyboard"][0][0]["request_contact"] is True and asked.silent
    assert thanked.reply_markup == {"remove_keyboard": True} and not thanked.silent
    with pytest.raises(TelegramBadRequest, match="reply keyboard markup"):
        await bot.send_message(
            7, "x", reply_markup=ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="")]])
        )


async def test_edit_message_text_of_a_document_is_refused(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    document = await bot.send_document(7, BufferedInputFile(ICS, filename="a.ics"), caption="alt")
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await bot.edit_message_text("neu", chat_id=7, message_id=document.message_id)
    edited = await bot.edit_message_caption(
        chat_id=7, message_id=document.message_id, caption="neu"
    )
    assert isinstance(edited, Message) and edited.document is not None
    assert edited.caption == "neu" and edited.document.file_name == "a.ics"
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_caption(chat_id=7, message_id=document.message_id, caption="neu")
    text = await bot.send_message(7, "Text")
    with pytest.raises(TelegramBadRequest, match="there is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=7, message_id=text.message_id, caption="x")


async def test_document_uploaded_directly_as_the_parameter(
    server: EmulatorServer, bot_url: str
) -> None:
    server.emulator.user(7)
    form = aiohttp.FormData()
    form.add_field("chat_id", "7")
    form.add_field("document", ICS, filename="direct.ics", content_type="text/calendar")
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{bot_url}/sendDocument", data=form) as response:
            body = await response.json()
        async with http.post(f"{bot_url}/sendDocument", data={"chat_id": "7"}) as response:
            missing = await response.json()
    assert body["ok"] and body["result"]["document"]["file_name"] == "direct.ics"
    assert server.emulator.chat(7)[0].data == ICS
    assert missing["description"] == "Bad Request: there is no document in the request"
