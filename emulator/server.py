"""HTTP front of the emulator: `/bot<token>/<method>` and a control API `/_emulator/...`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from emulator.files import Upload
from emulator.state import Emulator
from emulator.validation import ApiError

_JSON_FIELDS = {
    "reply_markup",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "allowed_updates",
    "results",
    "menu_button",
    "media",
}
_BOOL_FIELDS = {
    "show_alert",
    "protect_content",
    "disable_notification",
    "is_personal",
    "has_spoiler",
    "show_caption_above_media",
    "disable_content_type_detection",
    "drop_pending_updates",
}
_TOO_LARGE = ApiError(413, "Request Entity Too Large")
_STATIC = Path(__file__).parent / "static"
#: The demo page's own files (nothing else is served from static/), with their types.
_DEMO_FILES = {
    "demo.css": "text/css",
    "demo.js": "text/javascript",
    "render.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}
#: The demo page runs only its own script and style, and talks only to this server.
_DEMO_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _parse_params(raw: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in _JSON_FIELDS:
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        elif isinstance(value, str) and key in _BOOL_FIELDS:
            value = value.lower() == "true"
        params[key] = value
    return params


_MAX_BODY = 60 * 1024 * 1024  # above Telegram's 50 MB, so that the emulator answers it


async def _read_form(request: web.Request) -> dict[str, Any]:
    """Fields of a form; file parts become `Upload`s, in place of their `attach://` references."""
    form = await request.post()
    raw: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            uploads[key] = Upload(value.filename, value.content_type, value.file.read())
        elif isinstance(value, str):
            raw[key] = value
    for key, value in list(raw.items()):
        if value.startswith("attach://") and value[len("attach://") :] in uploads:
            raw[key] = uploads.pop(value[len("attach://") :])
    raw.update(uploads)  # sent directly as the parameter (`-F document=@file`)
    return raw


class EmulatorServer:
    """Runs an Emulator on 127.0.0.1. `port=0` picks a free port."""

    def __init__(self, emulator: Emulator | None = None, *, demo_page: bool = False) -> None:
        self.emulator = emulator or Emulator()
        self._demo_page_on = demo_page
        #: The demo page's console link: makes a fresh one-time login URL (set by the demo
        #: once its database is seeded; the emulator itself knows nothing of the bot).
        self.console_login: Callable[[], Awaitable[str]] | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    def app(self) -> web.Application:
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_post("/_emulator/message", self._ctl_message)
        app.router.add_post("/_emulator/press", self._ctl_press)
        app.router.add_post("/_emulator/raw", self._ctl_raw)
        app.router.add_post("/_emulator/redeliver", self._ctl_redeliver)
        app.router.add_post("/_emulator/inline", self._ctl_inline)
        app.router.add_get("/_emulator/inline/{query_id}", self._ctl_inline_answer)
        app.router.add_post("/_emulator/block", self._ctl_block)
        app.router.add_get("/_emulator/chat/{chat_id}", self._ctl_chat)
        app.router.add_get("/_emulator/screen/{chat_id}", self._ctl_screen)
        app.router.add_post("/_emulator/keyboard", self._ctl_keyboard)
        app.router.add_post("/_emulator/keyboard/shown", self._ctl_keyboard_shown)
        app.router.add_get("/_emulator/file/{chat_id}/{message_id}", self._ctl_file)
        app.router.add_get("/_emulator/requests", self._ctl_requests)
        app.router.add_get("/_emulator/callback_answers", self._ctl_answers)
        app.router.add_get("/_emulator/callback_answer/{callback_id}", self._ctl_answer)
        app.router.add_get("/_emulator/commands", self._ctl_commands)
        app.router.add_get("/_emulator/stats", self._ctl_stats)
        app.router.add_post("/_emulator/config", self._ctl_config)
        if self._demo_page_on:
            app.router.add_get("/", self._demo_page)
            app.router.add_get("/static/{name}", self._demo_file)
            app.router.add_get("/favicon.ico", self._favicon)  # where browsers look first
            app.router.add_get("/console", self._demo_console)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        # The bound socket's (host, port); public, unlike site._server (an AbstractServer).
        self.port = self._runner.addresses[0][1]
        return self.port

    async def stop(self) -> None:
        await self.emulator.aclose()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                raw.update(await request.json())
            else:
                try:
                    raw.update(await _read_form(request))
                except web.HTTPRequestEntityTooLarge:
                    return web.json_response(_TOO_LARGE.payload(), status=413)
        try:
            result = await self.emulator.call(token, method, _parse_params(raw))
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.code)
        return web.json_response({"ok": True, "result": result})

    # ----- control API (tests and the demo play the users through it) -----------------
    async def _ctl_message(self, request: web.Request) -> web.Response:
        body = await request.json()
        update = await self.emulator.user_message(
            int(body["user_id"]),
            text=body.get("text"),
            kind=body.get("kind", "text"),
            language_code=body.get("language_code"),
            phone_number=body.get("phone_number"),
            reply_to=int(body["reply_to"]) if body.get("reply_to") else None,
        )
        return web.json_response(update)

    async def _ctl_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        update = await self.emulator.press(
            int(body["user_id"]), int(body["message_id"]), str(body["data"])
        )
        return web.json_response(update)

    async def _ctl_inline(self, request: web.Request) -> web.Response:
        body = await request.json()
        update = await self.emulator.inline_query(int(body["user_id"]), str(body.get("query", "")))
        return web.json_response(update)

    async def _ctl_inline_answer(self, request: web.Request) -> web.Response:
        answer = self.emulator.inline_answers.get(request.match_info["query_id"])
        if answer is None:
            return web.json_response({"ok": False, "description": "not answered"}, status=404)
        return web.json_response(answer)

    async def _ctl_raw(self, request: web.Request) -> web.Response:
        return web.json_response(await self.emulator.push_raw(await request.json()))

    async def _ctl_redeliver(self, request: web.Request) -> web.Response:
        """The webhook gets a delivered update once more (the same update_id)."""
        body = await request.json()
        try:
            update = await self.emulator.redeliver(int(body["update_id"]))
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.code)
        return web.json_response(update)

    async def _ctl_block(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.emulator.block(int(body["user_id"]), bool(body.get("blocked", True)))
        return web.json_response({"ok": True})

    async def _ctl_chat(self, request: web.Request) -> web.Response:
        # `all`: the whole conversation, the user's messages too.
        chat_id = int(request.match_info["chat_id"])
        everything = bool(request.query.get("all"))
        return web.json_response(self.emulator.chat_view(chat_id, everything=everything))

    async def _ctl_screen(self, request: web.Request) -> web.Response:
        return web.json_response(self.emulator.screen(int(request.match_info["chat_id"])))

    async def _ctl_keyboard(self, request: web.Request) -> web.Response:
        """The user taps button (row, column) of the chat's reply keyboard."""
        body = await request.json()
        try:
            update = await self.emulator.tap_reply_button(
                int(body["user_id"]),
                int(body["row"]),
                int(body["column"]),
                language_code=body.get("language_code"),
            )
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.code)
        return web.json_response(update)

    async def _ctl_keyboard_shown(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.emulator.show_reply_keyboard(int(body["user_id"]), bool(body.get("shown", True)))
        return web.json_response({"ok": True})

    async def _demo_page(self, request: web.Request) -> web.Response:
        text = (_STATIC / "demo.html").read_text("utf-8")
        return web.Response(text=text, content_type="text/html", headers=_DEMO_HEADERS)

    async def _demo_file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _DEMO_FILES:
            raise web.HTTPNotFound()
        return web.Response(
            body=(_STATIC / name).read_bytes(),
            content_type=_DEMO_FILES[name],
            charset="utf-8",
            headers=_DEMO_HEADERS,
        )

    async def _demo_console(self, request: web.Request) -> web.Response:
        """The demo page's "console" link: a new login link each time, so it works as
        often as a visitor taps it."""
        if self.console_login is None:
            return web.Response(
                status=503, text="The console is not running in this demo.", headers=_DEMO_HEADERS
            )
        location = await self.console_login()
        return web.Response(status=303, headers={**_DEMO_HEADERS, "Location": location})

    async def _favicon(self, request: web.Request) -> web.Response:
        body = (_STATIC / "favicon.svg").read_bytes()
        return web.Response(body=body, content_type="image/svg+xml", headers=_DEMO_HEADERS)

    async def _ctl_file(self, request: web.Request) -> web.Response:
        """The bytes of a file the bot sent, with its MIME type."""
        key = (int(request.match_info["chat_id"]), int(request.match_info["message_id"]))
        stored = self.emulator.messages.get(key)
        if stored is None or stored.data is None:
            return web.json_response({"ok": False, "description": "no file here"}, status=404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _ctl_requests(self, request: web.Request) -> web.Response:
        return web.json_response(self.emulator.requests, dumps=lambda o: json.dumps(o, default=str))

    async def _ctl_answers(self, request: web.Request) -> web.Response:
        return web.json_response(self.emulator.callback_answers)

    async def _ctl_answer(self, request: web.Request) -> web.Response:
        """The bot's answer to one tap: {"answered": false} until it answered."""
        answer = self.emulator.callback_answer(request.match_info["callback_id"])
        return web.json_response({"answered": answer is not None, **(answer or {})})

    async def _ctl_stats(self, request: web.Request) -> web.Response:
        emulator = self.emulator
        sent = sum(1 for m in emulator.messages.values() if m.from_bot)
        return web.json_response(
            {
                "bot_messages": sent,
                "answered_429": emulator.answered_429,
                "requests": len(emulator.requests),
            }
        )

    async def _ctl_config(self, request: web.Request) -> web.Response:
        body = await request.json()
        if "rate_limit" in body:
            value = body["rate_limit"]
            self.emulator.rate_limit_per_second = float(value) if value else None
        return web.json_response({"rate_limit": self.emulator.rate_limit_per_second})

    async def _ctl_commands(self, request: web.Request) -> web.Response:
        return web.json_response(self.emulator.commands)
