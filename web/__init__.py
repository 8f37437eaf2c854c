"""The web console (issue 20): aiohttp + Jinja2 pages on 127.0.0.1:WEB_PORT.

Like handlers/, an adapter: it parses a request, calls bot/ services and renders a page.
Nothing here imports Telegram code; bot/ imports nothing of this.
"""

from web.app import build_console_app

__all__ = ["build_console_app"]
