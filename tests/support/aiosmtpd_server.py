"""An independent SMTP server for mailconf's interoperability tests: aiosmtpd on 127.0.0.1.

Usage: aiosmtpd_server.py (starttls|implicit) CERT KEY USER PASSWORD

Prints "PORT <n>" once listening, then one "MESSAGE <json>" line per received message.
Exits when its standard input closes, so it never outlives the test that started it.
"""

import asyncio
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


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


async def main(mode, cert, key, user, password):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    implicit = mode == "implicit"

    def factory():
        return SMTP(
            Handler(),
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
    asyncio.run(main(*sys.argv[1:6]))
