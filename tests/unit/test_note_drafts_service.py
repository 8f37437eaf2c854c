"""The note draft service on the fake unit of work: text is added, never replaced; the
whole must fit one note; the lifetime counts from the first typed part."""

from __future__ import annotations

import pytest

from bot.ports import SealBrokenError
from bot.services import note_drafts
from bot.services.notes import MAX_NOTE_LENGTH, NoteTooLongError
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock


async def test_text_typed_again_is_added_on_a_new_line(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    first = await note_drafts.add_to_draft(uow_factory, clock, None, "  erste Zeile ")
    assert "erste" not in first.sealed and first.length == len("erste Zeile")
    clock.advance(hours=2)
    both = await note_drafts.add_to_draft(uow_factory, clock, first, "zweite Zeile")
    assert await note_drafts.open_draft(uow_factory, both) == "erste Zeile\nzweite Zeile"
    assert both.started == first.started  # the lifetime runs from the first part
    assert await note_drafts.with_draft(uow_factory, both, "dritte") == (
        "erste Zeile\nzweite Zeile\ndritte"
    )
    assert await note_drafts.with_draft(uow_factory, None, "allein") == "allein"


async def test_a_draft_too_long_for_a_note_is_refused_whole(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    draft = await note_drafts.add_to_draft(uow_factory, clock, None, "x" * 10)
    with pytest.raises(NoteTooLongError) as raised:
        await note_drafts.add_to_draft(uow_factory, clock, draft, "y" * MAX_NOTE_LENGTH)
    assert raised.value.length == 10 + 1 + MAX_NOTE_LENGTH


async def test_a_draft_expires_after_24_hours_and_may_stop_opening(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    draft = await note_drafts.add_to_draft(uow_factory, clock, None, "kurz")
    assert not draft.expired(clock.now() + note_drafts.DRAFT_LIFETIME)
    clock.advance(hours=24, seconds=1)
    assert draft.expired(clock.now())
    broken = note_drafts.NoteDraft("not a sealed text!", draft.started, 4)
    assert await note_drafts.readable(uow_factory, draft)
    assert not await note_drafts.readable(uow_factory, broken)
    with pytest.raises(SealBrokenError):
        await note_drafts.open_draft(uow_factory, broken)
