"""The command-line adapter: `python main.py ...` (names fixed in shared/CONTRACT.md)."""
