"""Repositories for hours, days off, appointments and invites. They never commit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import (
    Appointment,
    AppointmentStatus,
    ClientInvite,
    DayOff,
    LifeArea,
    Mode,
    Slot,
    StaffInvite,
    StaffRole,
    WeeklyHours,
)
from bot.ports import DuplicateError
from storage.models import (
    AppointmentRow,
    ClientInviteRow,
    DayOffRow,
    StaffInviteRow,
    WeeklyHoursRow,
)
from storage.rows import delete_rows, from_row, update_rows

_BOOKED = AppointmentStatus.BOOKED.value

# The reads behind every list of free slots, built once with bound parameters, on the
# tables (Core): see storage.repositories.
_HOURS_T, _DAYS_OFF_T, _APPOINTMENTS_T = (
    WeeklyHoursRow.__table__,
    DayOffRow.__table__,
    AppointmentRow.__table__,
)
_HOURS_OF_STAFF = (
    select(_HOURS_T)
    .where(_HOURS_T.c.staff_id.in_(bindparam("ids", expanding=True)))
    .order_by(_HOURS_T.c.weekday, _HOURS_T.c.start, _HOURS_T.c.id)
)
_DAYS_OFF_OF_STAFF = select(_DAYS_OFF_T.c.staff_id, _DAYS_OFF_T.c.day).where(
    _DAYS_OFF_T.c.staff_id.in_(bindparam("ids", expanding=True)),
    _DAYS_OFF_T.c.day >= bindparam("start"),
    _DAYS_OFF_T.c.day <= bindparam("end"),
)
_BOOKED_BETWEEN = select(_APPOINTMENTS_T.c.staff_id, _APPOINTMENTS_T.c.starts_at).where(
    _APPOINTMENTS_T.c.staff_id.in_(bindparam("ids", expanding=True)),
    _APPOINTMENTS_T.c.status == _BOOKED,
    _APPOINTMENTS_T.c.starts_at >= bindparam("start"),
    _APPOINTMENTS_T.c.starts_at <= bindparam("end"),
)


def _hours(row: WeeklyHoursRow | Row[Any]) -> WeeklyHours:
    return from_row(WeeklyHours, row, mode=Mode(row.mode))


def _appointment(row: AppointmentRow) -> Appointment:
    return from_row(
        Appointment,
        row,
        mode=Mode(row.mode),
        topic=LifeArea(row.topic),
        status=AppointmentStatus(row.status),
    )


class SqlHours:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_staff(self, staff_ids: list[int]) -> list[WeeklyHours]:
        if not staff_ids:
            return []
        rows = await self._session.execute(_HOURS_OF_STAFF, {"ids": staff_ids})
        return [_hours(row) for row in rows]

    async def add(self, hours: WeeklyHours) -> WeeklyHours:
        row = WeeklyHoursRow(
            staff_id=hours.staff_id,
            weekday=hours.weekday,
            start=hours.start,
            end=hours.end,
            slot_minutes=hours.slot_minutes,
            mode=hours.mode.value,
            address=hours.address,
        )
        self._session.add(row)
        await self._session.flush()
        return _hours(row)

    async def remove(self, hours_id: int) -> None:
        await self._session.execute(delete(WeeklyHoursRow).where(WeeklyHoursRow.id == hours_id))

    async def clear(self, staff_id: int) -> int:
        return await delete_rows(self._session, WeeklyHoursRow, WeeklyHoursRow.staff_id == staff_id)


class SqlDaysOff:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_staff(self, staff_ids: list[int], start: date, end: date) -> list[DayOff]:
        if not staff_ids:
            return []
        rows = await self._session.execute(
            _DAYS_OFF_OF_STAFF, {"ids": staff_ids, "start": start, "end": end}
        )
        return [DayOff(staff_id, day) for staff_id, day in rows]

    async def add(self, day_off: DayOff) -> None:
        try:
            async with self._session.begin_nested():
                self._session.add(DayOffRow(staff_id=day_off.staff_id, day=day_off.day))
        except IntegrityError:
            return  # already off that day

    async def remove(self, day_off: DayOff) -> None:
        await self._session.execute(
            delete(DayOffRow).where(
                DayOffRow.staff_id == day_off.staff_id, DayOffRow.day == day_off.day
            )
        )


class SqlAppointments:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, appointment_id: int) -> Appointment | None:
        row = await self._session.get(AppointmentRow, appointment_id)
        return _appointment(row) if row else None

    async def add(self, appointment: Appointment, at: datetime) -> Appointment:
        row = AppointmentRow(
            client_id=appointment.client_id,
            staff_id=appointment.staff_id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            mode=appointment.mode.value,
            topic=appointment.topic.value,
            address=appointment.address,
            interpreter=appointment.interpreter,
            status=appointment.status.value,
            booked_by=appointment.booked_by,
            created_at=at,
            updated_at=at,
        )
        try:
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as exc:
            raise DuplicateError("slot") from exc
        return _appointment(row)

    async def booked_between(
        self, staff_ids: list[int], start: datetime, end: datetime
    ) -> list[tuple[int, datetime]]:
        if not staff_ids:
            return []
        rows = await self._session.execute(
            _BOOKED_BETWEEN, {"ids": staff_ids, "start": start, "end": end}
        )
        return [(staff_id, starts_at) for staff_id, starts_at in rows]

    async def upcoming_for_client(self, client_id: int, now: datetime) -> list[Appointment]:
        rows = await self._session.scalars(
            select(AppointmentRow)
            .where(
                AppointmentRow.client_id == client_id,
                AppointmentRow.status == _BOOKED,
                AppointmentRow.ends_at > now,
            )
            .order_by(AppointmentRow.starts_at)
        )
        return [_appointment(row) for row in rows]

    async def upcoming_for_staff(
        self, staff_id: int, start: datetime, end: datetime
    ) -> list[Appointment]:
        rows = await self._session.scalars(
            select(AppointmentRow)
            .where(
                AppointmentRow.staff_id == staff_id,
                AppointmentRow.status == _BOOKED,
                AppointmentRow.starts_at >= start,
                AppointmentRow.starts_at < end,
            )
            .order_by(AppointmentRow.starts_at)
        )
        return [_appointment(row) for row in rows]

    async def next_for_clients(self, client_ids: list[int], now: datetime) -> dict[int, datetime]:
        if not client_ids:
            return {}
        rows = await self._session.execute(
            select(AppointmentRow.client_id, func.min(AppointmentRow.starts_at))
            .where(
                AppointmentRow.client_id.in_(client_ids),
                AppointmentRow.status == _BOOKED,
                AppointmentRow.ends_at > now,
            )
            .group_by(AppointmentRow.client_id)
        )
        return {client_id: at for client_id, at in rows}

    async def of_staff_between(
        self, staff_id: int, start: datetime, end: datetime
    ) -> list[Appointment]:
        """Every appointment of the day(s), whatever its status (the agenda shows marks)."""
        rows = await self._session.scalars(
            select(AppointmentRow)
            .where(
                AppointmentRow.staff_id == staff_id,
                AppointmentRow.starts_at >= start,
                AppointmentRow.starts_at < end,
            )
            .order_by(AppointmentRow.starts_at)
        )
        return [_appointment(row) for row in rows]

    async def count_open_for_client(self, client_id: int, now: datetime) -> int:
        count = await self._session.scalar(
            select(func.count()).where(
                AppointmentRow.client_id == client_id,
                AppointmentRow.status == _BOOKED,
                AppointmentRow.ends_at > now,
            )
        )
        return int(count or 0)

    async def reschedule(self, appointment_id: int, slot: Slot, at: datetime) -> Appointment | None:
        try:
            async with self._session.begin_nested():
                changed = await self._update_booked(
                    appointment_id,
                    staff_id=slot.staff_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    mode=slot.mode.value,
                    address=slot.address,
                    updated_at=at,
                    confirmed_at=None,
                    revision=AppointmentRow.revision + 1,
                )
        except IntegrityError as exc:
            raise DuplicateError("slot") from exc
        return await self._reread(appointment_id) if changed else None

    async def confirm(self, appointment_id: int, at: datetime) -> bool:
        return await self._update_booked(appointment_id, confirmed_at=at, updated_at=at)

    async def set_status(
        self,
        appointment_id: int,
        status: AppointmentStatus,
        at: datetime,
        reason: str | None = None,
    ) -> Appointment | None:
        changed = await self._update_booked(
            appointment_id,
            status=status.value,
            cancel_reason=reason,
            updated_at=at,
            revision=AppointmentRow.revision + 1,
        )
        return await self._reread(appointment_id) if changed else None

    async def remember_calendar_file(
        self, appointment_id: int, message_id: int, at: datetime
    ) -> None:
        await update_rows(
            self._session,
            AppointmentRow,
            AppointmentRow.id == appointment_id,
            calendar_message_id=message_id,
            calendar_sent_at=at,
        )

    async def _update_booked(self, appointment_id: int, **values: Any) -> bool:
        """Change an appointment only while it is booked: False if it is not (any more)."""
        return bool(
            await update_rows(
                self._session,
                AppointmentRow,
                AppointmentRow.id == appointment_id,
                AppointmentRow.status == _BOOKED,
                **values,
            )
        )

    async def _reread(self, appointment_id: int) -> Appointment | None:
        """The appointment as the database has it now (an UPDATE bypasses the session)."""
        row = await self._session.get(AppointmentRow, appointment_id, populate_existing=True)
        return _appointment(row) if row else None


class SqlInvites:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_staff_invite(self, invite: StaffInvite, at: datetime) -> None:
        self._session.add(
            StaffInviteRow(
                code=invite.code,
                site_id=invite.site_id,
                role=invite.role.value,
                created_at=at,
                expires_at=invite.expires_at,
            )
        )
        await self._session.flush()

    async def staff_invite(self, code: str) -> StaffInvite | None:
        row = await self._session.get(StaffInviteRow, code)
        if row is None:
            return None
        return StaffInvite(row.code, row.site_id, StaffRole(row.role), row.expires_at, row.used_at)

    async def use_staff_invite(self, code: str, staff_id: int, at: datetime) -> bool:
        return await _use_invite(self._session, StaffInviteRow, code, at, used_by_staff_id=staff_id)

    async def add_client_invite(self, invite: ClientInvite, at: datetime) -> None:
        self._session.add(
            ClientInviteRow(
                code=invite.code,
                site_id=invite.site_id,
                staff_id=invite.staff_id,
                nickname=invite.nickname,
                created_at=at,
                expires_at=invite.expires_at,
            )
        )
        await self._session.flush()

    async def client_invite(self, code: str) -> ClientInvite | None:
        row = await self._session.get(ClientInviteRow, code)
        if row is None:
            return None
        return ClientInvite(
            row.code, row.site_id, row.staff_id, row.nickname, row.expires_at, row.used_at
        )

    async def use_client_invite(self, code: str, at: datetime) -> bool:
        return await _use_invite(self._session, ClientInviteRow, code, at)


async def _use_invite(
    session: AsyncSession,
    row_type: type[StaffInviteRow] | type[ClientInviteRow],
    code: str,
    at: datetime,
    **values: Any,
) -> bool:
    """Mark an invite used, once: False if it was used already (or by a concurrent caller)."""
    return bool(
        await update_rows(
            session,
            row_type,
            row_type.code == code,
            row_type.used_at.is_(None),
            used_at=at,
            **values,
        )
    )
