"""Configuration: Settings read from the environment and `.env`.

Nothing is instantiated at import time; `main.py` builds the one Settings object.
"""

from config.settings import ConfigError, Settings, StartupError, load_settings

__all__ = ["ConfigError", "Settings", "StartupError", "load_settings"]
