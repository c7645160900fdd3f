"""An independent SMTP server for mailconf's interoperability tests: aiosmtpd on 127.0.0.1.

Usage: aiosmtpd_server.py (starttls|implicit) CERT KEY USER PASSWORD [INTROSPECTION_URL]

With INTROSPECTION_URL, AUTH XOAUTH2 is offered too: the bearer token is checked by POSTing it
to that RFC 7662 introspection endpoint (mailconf's loopback TokenEndpoint), and a refused
token gets the error challenge Gmail sends (334 + base64 JSON), then 535.

Prints "PORT <n>" once listening, then one "MESSAGE <json>" line per received message.
Exits when its standard input closes, so it never outlives the test that started it.
"""

import asyncio
import json
import os
import ssl
import sys
import threading
import urllib.parse
import urllib.request
from base64 import b64encode

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword

ERROR_CHALLENGE = b64encode(b'{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}')


class Handler:
    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_user": login.decode() if login else None,
            # STARTTLS sets session.ssl; on an implicit-TLS listener only the transport knows.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        print("MESSAGE " + json.dumps(record), flush=True)
        return "250 Message accepted for delivery"


class OAuthHandler(Handler):
    """Offers AUTH XOAUTH2 next to PLAIN and LOGIN (aiosmtpd lists every auth_* method)."""

    def __init__(self, introspection_url):
        self.introspection_url = introspection_url

    async def auth_XOAUTH2(self, server, args):
        """RFC 7628-style XOAUTH2: user=<mailbox>^Aauth=Bearer <token>^A^A, the token introspected."""
        if len(args) > 1:
            try:
                blob = base64_decode(args[1])
            except ValueError:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        else:
            blob = await server.challenge_auth("", encode_to_b64=False)
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        fields = dict(part.split("=", 1) for part in blob.decode("utf-8", "replace").split("\x01") if "=" in part)
        user = fields.get("user", "")
        scheme, _, token = fields.get("auth", "").partition(" ")
        if scheme.lower() == "bearer" and token and self._active(user, token):
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        # The refusal as Gmail and Exchange Online send it; the client answers with an empty line.
        await server.challenge_auth(ERROR_CHALLENGE, encode_to_b64=False)
        return AuthResult(success=False, handled=False)

    def _active(self, user, token):
        request = urllib.request.Request(
            self.introspection_url,
            data=urllib.parse.urlencode({"token": token}).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.load(response)
        # An app-only token has no username: it may act for any mailbox.
        return answer.get("active") is True and answer.get("username", user).lower() == user.lower()


def base64_decode(text):
    from base64 import b64decode
    import binascii
    try:
        return b64decode(text, validate=True)
    except binascii.Error as e:
        raise ValueError from e


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False lets aiosmtpd answer 535; otherwise the client waits forever.
        # auth_data is what aiosmtpd keeps as session.auth_data, read back in handle_DATA.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


async def main(mode, cert, key, user, password, introspection_url=None):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    implicit = mode == "implicit"

    def factory():
        return SMTP(
            Handler() if introspection_url is None else OAuthHandler(introspection_url),
            hostname="localhost",
            tls_context=None if implicit else context,
            require_starttls=not implicit,
            authenticator=authenticator(user, password),
            auth_required=True,
            # On an implicit-TLS listener aiosmtpd cannot see the TLS and would hide AUTH.
            auth_require_tls=not implicit,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host="127.0.0.1", port=0, ssl=context if implicit else None)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(*sys.argv[1:7]))
