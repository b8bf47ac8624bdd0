"""Response headers, the sign-in form token, the login rate limit and safe redirects."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: the templates load /static files only, so a script
# injected into a page (say, through a document title) would not run.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware (streams pass through untouched) adding the headers above.

    Every response that is not a static file is ``no-store`` unless its route chose
    otherwise: pages show archive content, and a shared browser must not keep it.
    """

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if self.hsts:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-cache" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def login_form_token(secret: bytes, pre_session: str) -> str:
    """The sign-in form's CSRF token, bound to the pre-session cookie by an HMAC."""
    return hmac.new(secret, b"login:" + pre_session.encode(), hashlib.sha256).hexdigest()


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def safe_next(target: str | None, default: str = "/search") -> str:
    """Only a path on this site: never ``//evil.example``, a scheme, or a backslash trick."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target) or ":" in target.split("?")[0]:
        return default
    return target


class LoginLimiter:
    """Failed sign-ins per (username, address), and per address across usernames.

    While a key is over its limit even the right password is refused: otherwise the
    limit would tell a guesser exactly when they had found it.
    """

    def __init__(
        self,
        max_failures: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, ...], deque[float]] = {}

    def _keys(self, username: str, client: str) -> list[tuple[tuple[str, ...], int]]:
        return [
            (("user", username.strip().lower(), client), self.max_failures),
            (("addr", client), self.max_failures * 4),
        ]

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def retry_after(self, username: str, client: str) -> int | None:
        """Seconds until another attempt is allowed, or None when it is allowed now."""
        now = self.clock()
        with self._lock:
            waits = []
            for key, limit in self._keys(username, client):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(int(times[-limit] + self.window - now) + 1)
            return max(waits) if waits else None

    def failed(self, username: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            for key, _limit in self._keys(username, client):
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle keys: memory stays bounded
                stale = [k for k, v in self._failures.items() if not v or now - v[-1] > self.window]
                for key in stale:
                    del self._failures[key]

    def succeeded(self, username: str, client: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(username, client)[0][0], None)
