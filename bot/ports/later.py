"""The outbox of answers sent later (issue 23, item 3) and a site's own ready replies
(item 2); `storage/later_repositories.py` implements them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.later import LaterAnswer, LaterJob, LaterStatus
from bot.ready_replies import ReadyReply


class LaterRepository(Protocol):
    """Pending answers of case managers to clients, claimed with a lease like reminders;
    the text (and a ready reply's values) encrypted at rest."""

    async def add(self, answer: LaterAnswer, at: datetime) -> LaterAnswer: ...
    async def pending_of_staff(self, staff_id: int) -> list[LaterAnswer]:
        """The staff member's answers still waiting, the soonest first."""
        ...

    async def cancel(self, answer_id: int, staff_id: int, at: datetime) -> bool:
        """The staff member's own pending answer is cancelled (its words forgotten);
        False when it is not pending any more (sent, being sent, cancelled) or not
        theirs."""
        ...

    async def cancel_of_staff(self, staff_id: int, at: datetime) -> int:
        """Every pending answer of the staff member is cancelled, its words forgotten
        (they lost access). How many."""
        ...

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]: ...
    async def jobs(self, answer_ids: list[int], token: str) -> list[LaterJob]: ...
    async def finish(
        self,
        answer_id: int,
        token: str,
        status: LaterStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        """Mark a claimed answer (only while `token` holds it); with `due_at`, pending
        again from then on. A final state (sent, failed) forgets the text and the
        values."""
        ...

    async def renew(self, token: str, lease_until: datetime) -> int:
        """The claim's lease runs on (a heartbeat); how many rows `token` still holds."""
        ...

    async def release(self, token: str, answer_ids: list[int]) -> int:
        """Answers claimed but never started are pending again at once."""
        ...

    async def release_owner(self, owner: str) -> int:
        """A stopping process gives back every answer its claim tokens hold."""
        ...

    async def delete_for_client(self, client_id: int) -> int:
        """Erasure: every answer to the client goes, sent or not."""
        ...


class ReadyReplyRepository(Protocol):
    """A site's own ready replies, written with their translations in the console."""

    async def add(
        self, site_id: int, texts: dict[str, str], staff_id: int, at: datetime
    ) -> int: ...
    async def of_site(self, site_id: int) -> list[ReadyReply]:
        """The site's own replies, oldest first."""
        ...

    async def get(self, site_id: int, reply_id: int) -> ReadyReply | None: ...
    async def remove(self, site_id: int, reply_id: int) -> bool: ...
