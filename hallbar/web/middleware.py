"""Pure ASGI middleware: security headers on every response, a cap on request bodies, and
the client address taken from ``X-Forwarded-For`` only behind a configured proxy."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Everything is served by the app itself: no CDN, no inline scripts or styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
# Sent only when cookies are Secure (the site is served over HTTPS): one year, this host
# only. No includeSubDomains: other services of the same organisation's domain may not
# be on HTTPS, and HSTS cannot be taken back before it expires.
HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = [*HEADERS, HSTS] if hsts else HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.headers if k not in present]
                if not scope["path"].startswith("/static/"):
                    # Pages may hold personal data: never keep them in shared caches.
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


Network = IPv4Network | IPv6Network


def proxy_networks(addresses: Sequence[str]) -> tuple[Network, ...]:
    """The trusted proxies' networks (a single address is a network of one)."""
    return tuple(ip_network(a.strip(), strict=False) for a in addresses)


class ForwardedFor:
    """The client address from ``X-Forwarded-For``, but only when the connection comes
    from a trusted proxy; otherwise the header is ignored.

    Anyone can send the header, so trusting it from every client lets an attacker pick a
    new address for each login attempt and escape the throttle. Each trusted proxy
    appends the address it received the request from, so the rightmost address that is
    not a trusted proxy is the real client; addresses further left were written by the
    client and are never used.
    """

    def __init__(self, app: ASGIApp, *, trusted: Sequence[str]) -> None:
        self.app = app
        self.networks = proxy_networks(trusted)

    def _trusted(self, host: str) -> bool:
        try:
            address = ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and self.networks and client and self._trusted(client[0]):
            values = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
            hops = [h.strip() for h in ",".join(values).split(",") if h.strip()]
            real = next((h for h in reversed(hops) if not self._trusted(h)), None)
            if real is not None and _is_address(real):
                scope = {**scope, "client": (real, 0)}
        await self.app(scope, receive, send)


def _is_address(host: str) -> bool:
    try:
        ip_address(host)
    except ValueError:
        return False
    return True


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Answer 413 as soon as a request body passes ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reject(send)
            return
        seen = 0
        too_large = False
        answered = False

        async def counting_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_large = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the app answers after the limit was hit (FastAPI turns a failed body
            # read into 400), the client gets one 413.
            nonlocal answered
            if too_large:
                if not answered:
                    answered = True
                    await _reject(send)
                return
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if not answered:
                await _reject(send)


async def _reject(send: Send) -> None:
    body = "Filen eller formuläret är för stort. Dela upp filerna eller kontakta en administratör.".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
