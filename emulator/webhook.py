"""Webhook delivery of the emulated Telegram (a mixin of Emulator): setWebhook,
deleteWebhook, getWebhookInfo, and the POSTs of the pending updates to the webhook.

As Telegram does:
- each update is POSTed as JSON with `X-Telegram-Bot-Api-Secret-Token`; it counts as
  delivered on a 2xx answer, else it is posted again after a backoff (0.2 s doubling to
  5 s) until `webhook_retry_for` seconds have passed, then dropped; the last failure is
  in getWebhookInfo;
- one chat's updates are delivered in order, one at a time; different chats' updates
  go out in parallel, up to the webhook's `max_connections`;
- while a webhook is set, getUpdates answers 409 Conflict (see Emulator.m_getupdates);
- a method in a webhook's answer (`{"method": ...}`) is executed.

`redeliver(update_id)` posts an update that was already delivered once more (tests of
"the same update twice")."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import ssl
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from emulator.validation import ApiError, bad_request

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_FIRST_DELAY, _MAX_DELAY = 0.2, 5.0
CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class Webhook:
    url: str
    token: str
    secret_token: str | None = None
    allowed_updates: list[str] | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One POST of an update: the HTTP status (0: no answer) and the error, if any."""

    update_id: int
    status: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _chat_key(update: dict[str, Any]) -> object:
    """Whose update it is: one chat's (or one user's) updates are delivered in order."""
    for kind, value in update.items():
        if kind == "update_id" or not isinstance(value, dict):
            continue
        chat = value.get("chat") or (value.get("message") or {}).get("chat")
        if chat and "id" in chat:
            return chat["id"]
        if value.get("from"):
            return value["from"].get("id")
        return kind
    return None


def _kind(update: dict[str, Any]) -> str:
    return next((k for k in update if k != "update_id"), "")


class WebhookMixin:
    updates: list[dict[str, Any]]
    _new_update: asyncio.Condition
    token: str

    async def call(self, token: str, method: str, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _init_webhook(self) -> None:
        self.webhook: Webhook | None = None
        #: Every POST made, in order (tests look at statuses and retries).
        self.webhook_deliveries: list[Delivery] = []
        #: How long an update is posted again before it is dropped.
        self.webhook_retry_for = 60.0
        self._delivered: dict[int, dict[str, Any]] = {}
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # id(update) -> its delivery
        self._pump: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None
        #: A CA file the webhook's TLS certificate is checked against (Telegram takes a
        #: self-signed certificate uploaded with setWebhook; a test names it here).
        self.webhook_ca: str | None = None

    # ----- the Bot API -----------------------------------------------------------------
    async def m_setwebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self.m_deletewebhook(params)
        if not url.startswith(("https://", "http://")):  # Telegram: https only
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token") or None
        if secret is not None and not _SECRET.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        try:
            connections = int(params.get("max_connections") or 40)
        except (TypeError, ValueError):
            raise bad_request("invalid max_connections") from None
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self.updates = []
        self.webhook = Webhook(
            url,
            self.token,
            secret_token=str(secret) if secret else None,
            allowed_updates=list(allowed) if allowed else None,
            max_connections=max(1, min(connections, 100)),
        )
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._pump_updates(), name="emulator webhook")
        await self._wake()
        return True

    async def m_deletewebhook(self, params: dict[str, Any]) -> bool:
        """Back to getUpdates: deliveries under way are cut off, their updates stay
        pending (unless drop_pending_updates)."""
        self.webhook = None
        await self._stop_delivering()
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self.updates = []
        return True

    async def m_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        hook = self.webhook
        if hook is not None:
            info.update(url=hook.url, max_connections=hook.max_connections)
            if hook.allowed_updates:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    def _check_no_webhook(self) -> None:
        if self.webhook is not None:
            raise ApiError(409, CONFLICT)

    # ----- for tests -------------------------------------------------------------------
    async def redeliver(self, update_id: int) -> dict[str, Any]:
        """Deliver an update that was delivered before once more, with its update_id."""
        try:
            update = copy.deepcopy(self._delivered[update_id])
        except KeyError:
            raise bad_request("update not delivered yet") from None
        async with self._new_update:
            self.updates.append(update)
            self._new_update.notify_all()
        return update

    def delivered(self, update_id: int) -> int:
        """How many times the update was taken (a 2xx answer)."""
        return sum(1 for d in self.webhook_deliveries if d.update_id == update_id and d.ok)

    async def aclose(self) -> None:
        """Stop delivering and close the HTTP client (the server's stop calls it)."""
        await self._stop_delivering()
        if self._http is not None:
            await self._http.close()
            self._http = None

    # ----- delivery ----------------------------------------------------------------------
    async def _wake(self) -> None:
        async with self._new_update:
            self._new_update.notify_all()

    async def _stop_delivering(self) -> None:
        tasks = [t for t in (self._pump, *self._in_flight.values()) if t is not None]
        self._pump = None
        self._in_flight.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _pump_updates(self) -> None:
        """Start a delivery for the first pending update of each chat not busy, up to
        max_connections at once; then wait for a new update or a finished delivery."""
        while (hook := self.webhook) is not None:
            busy = {_chat_key(u) for u in self.updates if id(u) in self._in_flight}
            for update in list(self.updates):
                if len(self._in_flight) >= hook.max_connections:
                    break
                if id(update) in self._in_flight:
                    continue
                if hook.allowed_updates and _kind(update) not in hook.allowed_updates:
                    self.updates.remove(update)  # not wanted: Telegram drops it
                    continue
                key = _chat_key(update)
                if key in busy:
                    continue
                busy.add(key)
                self._in_flight[id(update)] = asyncio.create_task(self._deliver(update))
            async with self._new_update:
                # The timeout only guards against a missed wake-up.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), 0.5)

    async def _deliver(self, update: dict[str, Any]) -> None:
        delay, deadline = _FIRST_DELAY, time.monotonic() + self.webhook_retry_for
        try:
            while (hook := self.webhook) is not None:
                delivery = await self._post(hook, update)
                self.webhook_deliveries.append(delivery)
                if delivery.ok:
                    self._delivered[update["update_id"]] = update
                    break
                hook.last_error_date = int(time.time())
                hook.last_error_message = delivery.error
                if time.monotonic() + delay > deadline:
                    break  # given up: dropped, as Telegram does after a while
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_DELAY)
            else:
                return  # deleteWebhook: stays pending
            self.updates = [u for u in self.updates if u is not update]
        finally:
            self._in_flight.pop(id(update), None)
            if self.webhook is not None:
                await self._wake()

    async def _post(self, hook: Webhook, update: dict[str, Any]) -> Delivery:
        if self._http is None:
            tls = ssl.create_default_context(cafile=self.webhook_ca) if self.webhook_ca else None
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=60),
                connector=aiohttp.TCPConnector(ssl=tls) if tls else None,
            )
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        update_id = int(update["update_id"])
        try:
            async with self._http.post(
                hook.url, data=json.dumps(update), headers=headers
            ) as answer:
                body = await answer.read()
                if not 200 <= answer.status < 300:
                    error = f"Wrong response from the webhook: {answer.status} {answer.reason}"
                    return Delivery(update_id, answer.status, error)
                if answer.content_type == "application/json":
                    await self._answer_method(hook, body)
                return Delivery(update_id, answer.status)
        except aiohttp.ClientConnectorError:
            return Delivery(update_id, 0, "Connection refused")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Delivery(update_id, 0, f"Connection failed: {type(exc).__name__}")

    async def _answer_method(self, hook: Webhook, body: bytes) -> None:
        """A method in the webhook's answer is executed; its errors are not reported."""
        with contextlib.suppress(ValueError):
            payload = json.loads(body or b"{}")
            if isinstance(payload, dict) and payload.get("method"):
                method = str(payload.pop("method"))
                with contextlib.suppress(ApiError):
                    await self.call(hook.token, method, payload)
