"""Start-up checks on how the server is exposed: say loudly when a setting is risky for the bind address."""

from __future__ import annotations

import ipaddress
import logging

from qa.core.settings import Settings

MIN_TOKEN_CHARS = 16


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: assume it is reachable from elsewhere


def exposure_warnings(host: str, settings: Settings) -> list[tuple[int, str]]:
    """(log level, message) pairs for `reportqa serve --host HOST` with these settings.

    Loopback (the default) is quiet. Any other address is reachable from other machines, so: plain HTTP
    carries the bearer token in clear (WARNING: put a TLS reverse proxy in front), a short token can be
    guessed (WARNING), and nothing limits one client's load without REPORTQA_RATE_LIMIT (INFO).
    """
    if is_loopback(host):
        return []
    out = []
    if settings.api_token:
        out.append((logging.WARNING, f"listening on {host} with writes ENABLED: the API is reachable from other machines and "
                                     "the bearer token travels in clear over plain HTTP; serve it behind a TLS reverse "
                                     "proxy (README: Deploying) or unset REPORTQA_API_TOKEN for read-only"))
        if len(settings.api_token) < MIN_TOKEN_CHARS:
            out.append((logging.WARNING, f"REPORTQA_API_TOKEN is only {len(settings.api_token)} characters; use at "
                                         f"least {MIN_TOKEN_CHARS} random ones, e.g. python -c 'import secrets; "
                                         "print(secrets.token_urlsafe(32))'"))
    else:
        out.append((logging.WARNING, f"listening on {host}: the API is reachable from other machines (read-only: no "
                                     "REPORTQA_API_TOKEN, so uploads and deletes are disabled); use a reverse proxy for TLS"))
    if settings.rate_limit is None:
        out.append((logging.INFO, "no REPORTQA_RATE_LIMIT: one client can keep every worker busy; "
                                  "e.g. REPORTQA_RATE_LIMIT=60/minute"))
    return out
