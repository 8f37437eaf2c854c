"""The web console's logins: one-time links the bot sends, sessions, CSRF tokens.

No passwords: a staff member asks the bot (or an operator the CLI) for a link that works
once, for 10 minutes, for that staff account. Opening it starts a session that ends after
8 hours without a request, on logging out, and at once when the staff member is
deactivated (checked against the database on every request). Links and sessions are
stored only as SHA-256 digests of their secrets: they are 256-bit random values, so a
fast hash is enough, and a copy of the database lets no one log in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from bot.domain import Staff
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.audit import audit

LINK_TTL = timedelta(minutes=10)
IDLE_TIMEOUT = timedelta(hours=8)
#: A session's last request is written at most this often (not a write per page).
TOUCH_EVERY = timedelta(minutes=1)
#: Path of a login link below WEB_BASE_URL (docs/CONTRACT.md: the console is /console/...).
LOGIN_PATH = "/console/login/"


class UnknownConsoleStaffError(LookupError):
    """No active staff member with that id or Telegram account."""


class LoginLinkError(Exception):
    """A login link that is unknown, used or expired (one answer for all three)."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def login_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + LOGIN_PATH + token


async def issue_login_link(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff_id: int | None = None,
    telegram_user_id: int | None = None,
) -> str:
    """A new login token for an active staff member (by id or Telegram account)."""
    async with uow_factory() as uow:
        staff = (
            await uow.staff.get(staff_id)
            if staff_id is not None
            else await uow.staff.by_telegram_id(telegram_user_id or 0)
        )
        if staff is None or staff.id is None or not staff.active:
            raise UnknownConsoleStaffError()
        token = secrets.token_urlsafe(32)
        now = clock.now()
        await uow.console.add_link(digest(token), staff.id, now + LINK_TTL, now)
        await audit(uow, clock, staff, "console.link")
        await uow.commit()
    return token


async def log_in(uow_factory: UnitOfWorkFactory, clock: Clock, *, token: str) -> tuple[str, Staff]:
    """Use a login link: a new session id (for the cookie) and whose it is. Raises
    LoginLinkError for an unknown, used or expired link, or one of a deactivated person."""
    now = clock.now()
    async with uow_factory() as uow:
        await uow.console.purge(links_before=now - LINK_TTL, sessions_before=now - IDLE_TIMEOUT)
        staff_id = await uow.console.use_link(digest(token), now)
        staff = await uow.staff.get(staff_id) if staff_id is not None else None
        if staff is None or staff.id is None or not staff.active:
            await uow.commit()  # the purge, and a used link stays used
            raise LoginLinkError()
        session_id = secrets.token_urlsafe(32)
        await uow.console.add_session(digest(session_id), staff.id, now)
        await audit(uow, clock, staff, "console.login")
        await uow.commit()
    return session_id, staff


async def session_staff(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, session_id: str
) -> Staff | None:
    """The active staff member of a session, or None: unknown, idle for 8 hours, or its
    staff member deactivated (then every session of theirs ends)."""
    now, key = clock.now(), digest(session_id)
    async with uow_factory() as uow:
        session = await uow.console.session(key)
        if session is None:
            return None
        staff = await uow.staff.get(session.staff_id)
        if staff is None or not staff.active:
            await uow.console.end_sessions_of(session.staff_id)
            await uow.commit()
            return None
        if now - session.last_seen_at >= IDLE_TIMEOUT:
            await uow.console.end_session(key)
            await uow.commit()
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            await uow.console.touch_session(key, now)
            await uow.commit()
        return staff


async def open_sessions(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """Console sessions used within the idle timeout (for the metrics; no one named)."""
    async with uow_factory() as uow:
        return await uow.console.open_sessions(clock.now() - IDLE_TIMEOUT)


async def log_out(uow_factory: UnitOfWorkFactory, clock: Clock, *, session_id: str) -> None:
    async with uow_factory() as uow:
        session = await uow.console.session(digest(session_id))
        if session is None:
            return
        await uow.console.end_session(digest(session_id))
        staff = await uow.staff.get(session.staff_id)
        if staff is not None:
            await audit(uow, clock, staff, "console.logout")
        await uow.commit()


def csrf_token(session_id: str) -> str:
    """The session's CSRF token: derived from its secret id, so nothing more is stored, and
    the token in a page reveals nothing of the cookie."""
    return digest("csrf:" + session_id)


def csrf_valid(session_id: str, token: str) -> bool:
    return hmac.compare_digest(csrf_token(session_id), token)
