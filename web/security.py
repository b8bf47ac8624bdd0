"""Response headers, the sign-in form token, the login rate limit and safe redirects."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from collections.abc import Callable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive.rate_limits import LoginAttempts

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
    otherwise: pages show archive content, and a shared browser must not keep it. Each
    also varies by ``Cookie``, and one sent to a request with a session cookie is never
    ``public`` (it may name the user and carry their form token), whatever the route said.
    """

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        signed_in = _has_session_cookie(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if self.hsts:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-cache" if static else "no-store"
                if not static:
                    _vary_by_cookie(headers, signed_in)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ForwardedFor:
    """Pure ASGI middleware: the client address from ``X-Forwarded-For``, believed only
    when the connection comes from a configured proxy (``trusted_proxies``: addresses or
    networks, comma-separated; empty trusts nobody, the default).

    The address taken is the right-most one that is not itself a trusted proxy: a proxy
    appends the address it saw, and whatever the client wrote is further left. The server
    (uvicorn) is run with its own proxy handling off, so this is the only place that
    decides, whoever serves the app.
    """

    def __init__(self, app: ASGIApp, trusted: str) -> None:
        self.app = app
        self.trusted = tuple(_network(item) for item in trusted.split(",") if item.strip())

    def _is_trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return any(net == host for net in self.trusted)  # a name (the test client)
        return any(
            not isinstance(net, str) and address.version == net.version and address in net
            for net in self.trusted
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and client and self._is_trusted(str(client[0])):
            chain = [
                part.strip()
                for name, value in scope["headers"]
                if name == b"x-forwarded-for"
                for part in value.decode("latin-1").split(",")
                if part.strip()
            ]
            untrusted = [host for host in chain if not self._is_trusted(host)]
            if untrusted:
                scope = {**scope, "client": (untrusted[-1], 0)}
        await self.app(scope, receive, send)


def _network(item: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | str:
    try:
        return ipaddress.ip_network(item.strip(), strict=False)
    except ValueError:
        return item.strip()


SESSION_COOKIE = "arsip_session"
_SESSION_PREFIX = SESSION_COOKIE.encode() + b"="


def _has_session_cookie(scope: Scope) -> bool:
    return any(
        name == b"cookie"
        and any(part.strip().startswith(_SESSION_PREFIX) for part in value.split(b";"))
        for name, value in scope.get("headers", ())
    )


def _vary_by_cookie(headers: MutableHeaders, signed_in: bool) -> None:
    if signed_in and "public" in headers["cache-control"].lower():
        headers["Cache-Control"] = "private, no-store"
    vary = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
    if "cookie" not in {v.lower() for v in vary}:
        headers["Vary"] = ", ".join([*vary, "Cookie"])


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
    """Failed sign-ins, counted three ways over a sliding window.

    * per account and address: ``max_failures``, then that pair waits out the window;
    * per account, from any address: after ``max_failures`` failures each further try
      waits twice as long as the one before (30 s, 1 min, 2 min, ... up to the window),
      so rotating addresses buys a guesser a handful of tries, not thousands;
    * per address, any username: ``4 x max_failures``; then only accounts that signed in
      from this address before may still try, so a colleague behind the office's one NAT
      address cannot lock all staff out with junk names.

    Accounts are also spared the per-account backoff at an address they signed in from
    before: a guesser elsewhere cannot keep someone from their own desk. While a limit
    holds even the right password is refused: otherwise the limit would tell a guesser
    exactly when they had found it.

    The counts live in the catalog's database (:class:`archive.rate_limits.LoginAttempts`),
    so every web worker and a restarted app see the same ones; failures older than the
    window are deleted, and at most ``MAX_KEYS`` known (account, address) pairs are kept.
    """

    BACKOFF_SECONDS = 30.0
    REMEMBER_SECONDS = 30 * 24 * 3600.0  # how long a successful address stays "known"
    MAX_KEYS = 10_000

    def __init__(
        self,
        max_failures: int,
        window_seconds: float,
        store: LoginAttempts,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.store = store
        self.clock = clock  # wall-clock seconds: shared by every process on the machine

    def _is_known(self, user: str, client: str, now: float) -> bool:
        seen = self.store.known_since(user, client)
        return seen is not None and now - seen <= self.REMEMBER_SECONDS

    def _waits(self, user: str, client: str, now: float) -> list[float]:
        waits: list[float] = []
        recent = self.store.recent(user, client, now - self.window)
        pair = recent.pair
        if len(pair) >= self.max_failures:
            waits.append(pair[-self.max_failures] + self.window - now)
        if self._is_known(user, client, now):
            return waits  # the pair's own limit is all that applies at a known address
        account = recent.account
        extra = len(account) - self.max_failures
        if extra >= 0:
            backoff = min(self.window, self.BACKOFF_SECONDS * 2**extra)
            waits.append(account[-1] + backoff - now)
        address = recent.address
        if len(address) >= self.max_failures * 4:
            waits.append(address[-self.max_failures * 4] + self.window - now)
        return waits

    def retry_after(self, username: str, client: str) -> int | None:
        """Seconds until another attempt is allowed, or None when it is allowed now."""
        user, now = username.strip().lower(), self.clock()
        waits = [w for w in self._waits(user, client, now) if w > 0]
        return int(max(waits)) + 1 if waits else None

    def failed(self, username: str, client: str) -> None:
        user, now = username.strip().lower(), self.clock()
        self.store.failed(user, client, now, forget_before=now - self.window)

    def succeeded(self, username: str, client: str) -> None:
        user, now = username.strip().lower(), self.clock()
        self.store.succeeded(user, client, now, self.MAX_KEYS, now - self.REMEMBER_SECONDS)

    def remember(self, sign_ins: Mapping[tuple[str, str], float]) -> None:
        """Past successful sign-ins, (account, address) -> seconds ago (from the audit
        log, at start-up); a later success already on record is kept."""
        now = self.clock()
        at = {(user.strip().lower(), client): now - ago for (user, client), ago in sign_ins.items()}
        self.store.remember(at, self.MAX_KEYS, now - self.REMEMBER_SECONDS)
