"""Lotse's core: domain, services, ports, i18n and formatting.

Imports neither aiogram nor SQLAlchemy (checked by import-linter in CI).
"""
