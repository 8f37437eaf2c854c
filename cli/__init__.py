"""The command-line adapter: `python main.py ...` (names fixed in docs/CONTRACT.md)."""
