"""The Telegram adapter: routers, keyboards, callback data, states, middlewares."""

from __future__ import annotations

from aiogram import Dispatcher

from bot.i18n import Catalogs
from bot.ports import Clock, UnitOfWorkFactory
from bot.slots import BookingPolicy
from bot.translation import TranslationService
from config import Settings
from handlers.client.access import consent_gate_router
from handlers.client.appointments import appointments_router
from handlers.client.booking import booking_router
from handlers.client.booking_steps import BookingDesk
from handlers.client.fallback import fallback_router
from handlers.client.menu import menu_router
from handlers.client.messages import relay_router
from handlers.client.onboarding import onboarding_router
from handlers.client.privacy import privacy_router
from handlers.client.referrals import referrals_router
from handlers.client.reminders import reminders_router
from handlers.client.typed import typed_router
from handlers.client.waitlist import waitlist_router
from handlers.plumbing.deferred import FlushAfterUpdate
from handlers.plumbing.errors import errors_router
from handlers.plumbing.fsm_storage import DatabaseStorage
from handlers.plumbing.inline_filters import check_filters_inline
from handlers.plumbing.middlewares import (
    OneAtATime,
    RecordReceivedMessages,
    UpdateContextMiddleware,
)
from handlers.plumbing.observe import ObserveUpdates
from handlers.plumbing.redis_fsm import RedisFsm
from handlers.staff.access import staff_join_router
from handlers.staff.agenda import agenda_router
from handlers.staff.announcements import announcements_router
from handlers.staff.availability import availability_router
from handlers.staff.clients import staff_clients_router
from handlers.staff.later import staff_later_router
from handlers.staff.menu import staff_fallback_router, staff_router
from handlers.staff.messages import staff_relay_router
from handlers.staff.note_drafts import draft_guard_router
from handlers.staff.notes import notes_router
from handlers.staff.offers import inline_refusal_router, offers_router
from handlers.staff.ready import staff_ready_router
from handlers.staff.stats import stats_router
from handlers.staff.team import team_router


def build_dispatcher(
    *,
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: Clock,
    settings: Settings,
    policy: BookingPolicy | None = None,
    translation: TranslationService | None = None,
    shared: RedisFsm | None = None,
    observer: ObserveUpdates | None = None,
) -> Dispatcher:
    """The one place where the routers' order is written. The fallback comes last.

    What handlers receive by parameter name: `uow_factory`, `catalogs`, `clock`,
    `settings`, `policy`, `translation` (off unless the composition root brings one),
    `desk` (the booking steps' slots); per update the middlewares add `client`,
    `acting_staff`, `t` and `guessed_locales`; IsStaff turns them into `staff`, the staff
    member's own `t` and a StaffTurn, Consented into a ClientTurn (handlers/*/access.py).

    With `shared` (REDIS_URL: handlers.plumbing.redis_fsm) the conversation state and
    the per-person lock are in Redis, for several processes; without, in the database
    and in this process."""
    policy = policy or settings.booking_policy()
    translation = translation or TranslationService({})
    dispatcher = Dispatcher(
        storage=shared.storage if shared else DatabaseStorage(uow_factory, clock),
        events_isolation=shared.isolation if shared else None,
        uow_factory=uow_factory,
        catalogs=catalogs,
        clock=clock,
        settings=settings,
        policy=policy,
        translation=translation,
        desk=BookingDesk(uow_factory, clock, policy),
    )
    # One update per person at a time, before aiogram's FSM middleware reads the state
    # (with `shared`, that middleware then holds the person's Redis lock as well).
    dispatcher.update.outer_middleware.unregister(dispatcher.fsm)
    # Outermost of ours: metrics and the updates in flight (a graceful stop waits).
    dispatcher.update.outer_middleware(observer or ObserveUpdates())
    dispatcher.update.outer_middleware(OneAtATime())
    dispatcher.update.outer_middleware(dispatcher.fsm)
    # Writes of the FSM storage and the sent-message recorder wait for the update's end.
    dispatcher.update.outer_middleware(FlushAfterUpdate(uow_factory))
    dispatcher.update.outer_middleware(UpdateContextMiddleware(uow_factory, catalogs, clock))
    # A client's own messages, ids only, for 48 hours: "Delete my data" deletes them too.
    dispatcher.update.outer_middleware(RecordReceivedMessages(clock))
    dispatcher.include_routers(
        errors_router(),
        staff_join_router(),
        draft_guard_router(),  # a note typed but not saved: asked about before leaving
        staff_router(),
        availability_router(),
        staff_clients_router(),
        notes_router(),
        agenda_router(),
        team_router(),
        staff_relay_router(),
        staff_ready_router(),
        staff_later_router(),
        stats_router(),
        announcements_router(),
        offers_router(),
        inline_refusal_router(),
        staff_fallback_router(),
        consent_gate_router(),
        onboarding_router(),
        privacy_router(),
        booking_router(),
        appointments_router(),
        waitlist_router(),
        reminders_router(),
        referrals_router(),
        relay_router(),
        menu_router(),
        typed_router(),
        fallback_router(),
    )
    check_filters_inline(dispatcher)
    return dispatcher
