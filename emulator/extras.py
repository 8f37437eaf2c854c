"""Command lists, inline queries and the calls that only decorate, of the emulated
Telegram (a mixin of Emulator)."""

from __future__ import annotations

import json
from typing import Any

from emulator.validation import MAX_COMMANDS, MAX_TEXT, bad_request, visible_text


class ExtrasMixin:
    commands: dict[str, list[dict[str, Any]]]
    issued_inline: set[str]
    inline_answers: dict[str, list[dict[str, Any]]]

    async def m_setchatmenubutton(self, params: dict[str, Any]) -> bool:
        return True

    async def m_setmydescription(self, params: dict[str, Any]) -> bool:
        return True

    async def m_close(self, params: dict[str, Any]) -> bool:
        return True

    async def m_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if (
                not (1 <= len(name) <= 32)
                or not name.replace("_", "").isalnum()
                or name.lower() != name
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not (1 <= len(description) <= 256):
                raise bad_request("command description is empty or too long")
        self.commands[_scope_key(params)] = commands
        return True

    async def m_deletemycommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    async def m_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(_scope_key(params), [])

    async def m_answerinlinequery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id") or "")
        if query_id not in self.issued_inline or query_id in self.inline_answers:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results") or []
        if not isinstance(results, list) or len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("id") or not result.get("type"):
                raise bad_request("RESULT_ID_INVALID")
            if result["id"] in ids:
                raise bad_request("RESULT_ID_DUPLICATE")
            ids.add(result["id"])
            content = result.get("input_message_content") or {}
            text = content.get("message_text")
            if text is not None and len(visible_text(text, content.get("parse_mode"))) > MAX_TEXT:
                raise bad_request("MESSAGE_TOO_LONG")
        self.inline_answers[query_id] = results
        return True


def _scope_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    if isinstance(scope, str):
        scope = json.loads(scope)
    key = scope.get("type", "default")
    if "chat_id" in scope:
        key += f":{scope['chat_id']}"
    language = params.get("language_code") or ""
    return f"{key}|{language}"
