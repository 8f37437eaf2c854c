"""Encryption at rest for case notes, relayed texts and conversation state.

`EncryptedText` is a column type: plain text in Python, a Fernet token in the
database. The keys belong to an engine, not to the process: `install_cipher`
puts a MultiFernet on the engine's dialect, where the column type finds it.
Encrypting with the first key and decrypting with any of them is what makes a
rotation (`python main.py notes rotate-key`) possible without downtime.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import TableClause, Text, column, select, table, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator

_ATTRIBUTE = "lotse_notes_cipher"

#: Every encrypted column: (table, primary key, column). Rotation walks them all.
ENCRYPTED_COLUMNS: list[tuple[str, str, str]] = [
    ("notes", "id", "body"),
    ("note_versions", "id", "body"),
    ("relay_messages", "id", "text"),
    ("conversations", "key", "data"),
    ("announcements", "id", "text"),
    ("announcement_texts", "id", "text"),
    ("later_answers", "id", "text"),
    ("later_answers", "id", "reply_values"),
]


class NotesKeyError(Exception):
    """No key is configured, or the stored text does not open with the keys given."""


class NotesCipher:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise NotesKeyError("no key")
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise NotesKeyError("stored text does not open with NOTES_KEY") from exc

    def rotate(self, token: str) -> str:
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise NotesKeyError("stored text does not open with NOTES_KEY") from exc


def install_cipher(engine: AsyncEngine, keys: list[str]) -> NotesCipher:
    cipher = NotesCipher(keys)
    setattr(engine.sync_engine.dialect, _ATTRIBUTE, cipher)
    return cipher


def cipher_of(dialect: Dialect) -> NotesCipher:
    """The notes cipher installed on the engine of `dialect` (NotesKeyError: none)."""
    cipher: NotesCipher | None = getattr(dialect, _ATTRIBUTE, None)
    if cipher is None:
        raise NotesKeyError("no notes key installed on this engine")
    return cipher


class EncryptedText(TypeDecorator[str]):
    """Text encrypted with the engine's notes key; only ciphertext reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return cipher_of(dialect).encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return cipher_of(dialect).decrypt(value)


def _raw(name: str, key: str, col: str) -> TableClause:
    """The table as plain text columns, so tokens are read and written as they are."""
    return table(name, column(key), column(col, Text))


def _token(value: Any) -> Any:
    """Rows holding a token: not empty, not plain JSON left from before its encryption."""
    return value.is_not(None) & ~value.startswith("{")


async def check_key(engine: AsyncEngine) -> None:
    """Raise NotesKeyError when a stored token does not open (a wrong or missing key)."""
    cipher = cipher_of(engine.sync_engine.dialect)
    async with engine.connect() as connection:
        for name, key, col in ENCRYPTED_COLUMNS:
            raw = _raw(name, key, col)
            token = await connection.scalar(select(raw.c[col]).where(_token(raw.c[col])).limit(1))
            if token is not None:
                cipher.decrypt(token)


async def rotate_keys(engine: AsyncEngine, batch: int = 500) -> int:
    """Re-encrypt every stored token with the first key, in one transaction."""
    cipher = cipher_of(engine.sync_engine.dialect)
    done = 0
    async with engine.begin() as connection:
        for name, key, col in ENCRYPTED_COLUMNS:
            raw = _raw(name, key, col)
            last = None
            while True:
                query = select(raw.c[key], raw.c[col]).where(_token(raw.c[col]))
                if last is not None:
                    query = query.where(raw.c[key] > last)
                rows = (await connection.execute(query.order_by(raw.c[key]).limit(batch))).all()
                if not rows:
                    break
                for ident, token in rows:
                    # Only if unchanged meanwhile: a conversation the bot rewrote since it
                    # was read keeps its new data (already under the first key).
                    await connection.execute(
                        update(raw)
                        .where(raw.c[key] == ident, raw.c[col] == token)
                        .values({col: cipher.rotate(token)})
                    )
                    done += 1
                last = rows[-1][0]
    return done + await seal_plain_conversations(engine)


async def seal_plain_conversations(engine: AsyncEngine) -> int:
    """Encrypt conversation rows still in plain JSON from before migration 0013 (run at
    start-up and by the key rotation), so no idle user's state stays readable."""
    cipher = cipher_of(engine.sync_engine.dialect)
    raw = _raw("conversations", "key", "data")
    done = 0
    async with engine.begin() as connection:
        rows = (
            await connection.execute(
                select(raw.c.key, raw.c.data).where(raw.c.data.startswith("{"))
            )
        ).all()
        for ident, plain in rows:
            await connection.execute(
                update(raw)
                .where(raw.c.key == ident, raw.c.data == plain)
                .values(data=cipher.encrypt(plain))
            )
            done += 1
    return done


class EncryptedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON object encrypted with the engine's notes key: what a flow keeps between
    steps (a typed note draft, a message waiting for the client's town, a phone number)
    is never plain text in the database. A row written before this type (plain JSON,
    migration 0013) is still read; the next write encrypts it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return cipher_of(dialect).encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        if isinstance(value, dict):  # PostgreSQL's json type, before the migration
            return value
        if value.lstrip().startswith("{"):  # plain JSON, before the migration
            loaded: dict[str, Any] = json.loads(value)
            return loaded
        opened: dict[str, Any] = json.loads(cipher_of(dialect).decrypt(value))
        return opened
