"""Files in the emulated Telegram: sendDocument, sendPhoto, copyMessage, editMessageCaption,
and the media of the messages the users send.

`Emulator` (in emulator.state) inherits `FilesMixin`. The shared pieces come from
emulator.model (the records) and emulator.validation (errors, HTML and markup checks).
"""

from __future__ import annotations

import hashlib
import itertools
import mimetypes
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.model import FakeUser, StoredMessage
from emulator.validation import NOT_MODIFIED, ApiError, _check_markup, bad_request, visible_text

MAX_CAPTION = 1024
MAX_UPLOAD = 50 * 1024 * 1024  # multipart uploads of bots, as on api.telegram.org
DEFAULT_PHONE = "+4915112345678"
_CAPTIONED = {"document", "photo", "voice", "audio", "video", "animation"}
_PHOTO_SIDES = (90, 320, 800, 1280)
_MIME_BY_SUFFIX = {
    ".ics": "text/calendar",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}


@dataclass(repr=False)
class Upload:
    """A file part of a multipart request (the server resolves `attach://` to it)."""

    filename: str
    content_type: str
    data: bytes

    def __str__(self) -> str:
        return f"<upload {self.filename!r}, {len(self.data)} bytes>"

    __repr__ = __str__


@dataclass(repr=False)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes = b""
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def __repr__(self) -> str:
        return f"StoredFile({self.file_id!r}, {self.kind!r}, {len(self.data)} bytes)"


def image_size(data: bytes) -> tuple[int, int, str] | None:
    """Width, height and MIME type of a PNG, JPEG, GIF, WebP or BMP image; None otherwise."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            width, height = struct.unpack(">II", data[16:24])
            return width, height, "image/png"
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return width, height, "image/gif"
        if data.startswith(b"BM"):
            width, height = struct.unpack("<ii", data[18:26])
            return width, abs(height), "image/bmp"
        if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
            return (*_webp_size(data), "image/webp")
        if data.startswith(b"\xff\xd8"):
            return (*_jpeg_size(data), "image/jpeg")
    except (struct.error, ValueError):
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X":
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise ValueError("unknown WebP chunk")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            raise ValueError("broken JPEG")
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise ValueError("no JPEG frame")


def document_mime(upload: Upload) -> str:
    suffix = "." + upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    guessed = _MIME_BY_SUFFIX.get(suffix) or mimetypes.guess_type(upload.filename)[0]
    if guessed:
        return guessed
    if upload.content_type and upload.content_type != "application/octet-stream":
        return upload.content_type
    return "application/octet-stream"


class FilesMixin:
    """The file-related Bot API methods of `Emulator`."""

    files: dict[str, StoredFile]
    _file_counter: itertools.count[int]

    if TYPE_CHECKING:  # provided by Emulator

        def _target_user(self, params: dict[str, Any]) -> int: ...
        def _stored(self, params: dict[str, Any]) -> StoredMessage: ...
        def _check_rate(self) -> None: ...
        def _message_json(self, stored: StoredMessage) -> dict[str, Any]: ...
        def _new_bot_message(
            self, chat_id: int, params: dict[str, Any], **fields: Any
        ) -> StoredMessage: ...

        messages: dict[tuple[int, int], StoredMessage]

    # ----- the registry of files ------------------------------------------------------
    def _register(self, prefix: str, kind: str, data: bytes, **fields: Any) -> StoredFile:
        """A new file_id; the file_unique_id follows the content, as on Telegram."""
        digest = hashlib.sha256(data).hexdigest()[:12]
        stored = StoredFile(
            f"{prefix}emu{next(self._file_counter):06d}{digest[:8]}",
            f"AgAD{digest}",
            kind,
            data,
            **fields,
        )
        self.files[stored.file_id] = stored
        return stored

    def _user_media(
        self, kind: str, message_id: int, user: FakeUser, phone_number: str | None
    ) -> dict[str, Any]:
        """The part of a user's message that is not text, e.g. {"voice": {...}}."""
        if kind == "contact":
            contact = {"phone_number": phone_number or DEFAULT_PHONE}
            return {"contact": {**contact, "first_name": user.first_name, "user_id": user.id}}
        if kind == "location":
            return {"location": {"latitude": 51.45, "longitude": 7.01}}
        ident = f"{user.id}_{message_id}"
        if kind == "voice":
            voice = self._user_file(f"voice{ident}", f"v{ident}", "voice", mime_type="audio/ogg")
            return {"voice": {**self._file_json(voice), "duration": 3}}
        if kind == "photo":
            photo = self._user_file(f"photo{ident}", f"p{ident}", "photo", width=90, height=90)
            return {"photo": self._photo_sizes(photo)}
        if kind == "sticker":
            sticker = self._user_file(f"st{ident}", f"s{ident}", "sticker", width=512, height=512)
            flags = {"type": "regular", "is_animated": False, "is_video": False}
            return {"sticker": {**self._file_json(sticker), "width": 512, "height": 512, **flags}}
        if kind == "document":
            fields = {"file_name": "a.pdf", "mime_type": "application/pdf"}
            document = self._user_file(f"doc{ident}", f"d{ident}", "document", **fields)
            return {"document": self._file_json(document)}
        raise ValueError(kind)

    def _user_file(self, file_id: str, unique_id: str, kind: str, **fields: Any) -> StoredFile:
        self.files[file_id] = StoredFile(file_id, unique_id, kind, **fields)
        return self.files[file_id]

    def _photo_sizes(self, photo: StoredFile) -> list[dict[str, Any]]:
        """Telegram's sizes of a photo, smallest first; the last is the photo as sent."""
        longest = max(photo.width, photo.height, 1)
        sizes: list[dict[str, Any]] = []
        for side in _PHOTO_SIDES:
            if side >= longest:
                break
            scale = side / longest
            file_id = f"{photo.file_id}_{side}"
            self.files.setdefault(file_id, photo)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": f"{photo.file_unique_id}_{side}",
                    "width": max(1, round(photo.width * scale)),
                    "height": max(1, round(photo.height * scale)),
                }
            )
        full: dict[str, Any] = {
            "file_id": photo.file_id,
            "file_unique_id": photo.file_unique_id,
            "width": photo.width,
            "height": photo.height,
        }
        if photo.data:
            full["file_size"] = len(photo.data)
        return [*sizes, full]

    @staticmethod
    def _file_json(file: StoredFile) -> dict[str, Any]:
        """A Document (or the file fields of a Voice, Sticker...)."""
        data: dict[str, Any] = {"file_id": file.file_id, "file_unique_id": file.file_unique_id}
        if file.file_name and file.kind == "document":
            data["file_name"] = file.file_name
        if file.mime_type and file.kind in ("document", "voice"):
            data["mime_type"] = file.mime_type
        if file.data:
            data["file_size"] = len(file.data)
        return data

    def _input_file(self, value: Any, kind: str) -> StoredFile:
        """The file of sendDocument/sendPhoto: an upload, or the file_id of a known file."""
        if isinstance(value, Upload):
            if len(value.data) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            if not value.data:
                raise bad_request("file must be non-empty")
            if kind == "document":
                fields = {"file_name": value.filename, "mime_type": document_mime(value)}
                return self._register("BQAC", kind, value.data, **fields)
            size = image_size(value.data)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            width, height, mime = size
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            fields = {"file_name": value.filename, "mime_type": mime}
            return self._register("AgAC", kind, value.data, **fields, width=width, height=height)
        if not value or not isinstance(value, str):
            raise bad_request(f"there is no {kind} in the request")
        stored = self.files.get(value.strip())
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request("type of file mismatch")
        return stored

    def _caption(self, params: dict[str, Any]) -> str | None:
        """The caption as the user sees it."""
        caption = params.get("caption")
        if not caption:
            return None
        visible = visible_text(str(caption), params.get("parse_mode"))
        if len(visible) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return visible or None

    @staticmethod
    def _check_markup_of(params: dict[str, Any]) -> None:
        _check_markup(params.get("reply_markup"))

    # ----- the Bot API ------------------------------------------------------------------
    async def _send_file(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = self._target_user(params)
        file = self._input_file(params.get(kind), kind)
        caption = self._caption(params)
        self._check_markup_of(params)
        self._check_rate()
        if kind == "photo":
            media: dict[str, Any] = {"photo": self._photo_sizes(file)}
        else:
            media = {"document": self._file_json(file)}
        stored = self._new_bot_message(
            chat_id,
            params,
            kind=kind,
            caption=caption,
            parse_mode=params.get("parse_mode"),
            file_id=file.file_id,
            file_name=file.file_name,
            mime_type=file.mime_type,
            data=file.data,
            media=media,
        )
        return self._message_json(stored)

    async def m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "document")

    async def m_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "photo")

    async def m_copymessage(self, params: dict[str, Any]) -> dict[str, int]:
        chat_id = self._target_user(params)
        try:
            source = self.messages[(int(params["from_chat_id"]), int(params["message_id"]))]
        except (KeyError, TypeError, ValueError):
            raise bad_request("message to copy not found") from None
        if source.deleted:
            raise bad_request("message to copy not found")
        caption = source.caption
        if params.get("caption") is not None and source.kind in _CAPTIONED:
            caption = self._caption(params)
        self._check_markup_of(params)
        self._check_rate()
        stored = self._new_bot_message(
            chat_id,
            params,
            kind=source.kind,
            text=source.text,
            visible=source.visible,
            parse_mode=source.parse_mode,
            caption=caption,
            file_id=source.file_id,
            file_name=source.file_name,
            mime_type=source.mime_type,
            data=source.data,
            media=dict(source.media),
        )
        return {"message_id": stored.message_id}

    async def m_editmessagecaption(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(params)
        if stored.kind not in _CAPTIONED:
            raise bad_request("there is no caption in the message to edit")
        caption = self._caption(params)
        self._check_markup_of(params)
        markup = params.get("reply_markup")
        if caption == stored.caption and markup == stored.reply_markup:
            raise bad_request(NOT_MODIFIED)
        stored.caption, stored.reply_markup = caption, markup
        stored.edits += 1
        return self._message_json(stored)
