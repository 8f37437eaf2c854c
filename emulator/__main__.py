"""`python -m emulator --port 8081`: run the Bot API emulator on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio

from emulator.server import EmulatorServer
from emulator.state import Emulator


async def _serve(port: int, rate_limit: float | None) -> None:
    server = EmulatorServer(Emulator(rate_limit_per_second=rate_limit))
    await server.start(port=port)
    print(f"Bot API emulator on {server.base_url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        metavar="N",
        help="answer 429 (retry_after) above N messages in any second, like Telegram",
    )
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args.port, args.rate_limit))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
