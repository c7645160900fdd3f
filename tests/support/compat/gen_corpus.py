#!/usr/bin/env python3
"""Writes corpus.jsonl: the configurations the differential test against fastapi-mail runs.

Run it after changing it (`python3 tests/support/compat/gen_corpus.py`) and commit both files.
Each line is one configuration as an environment would hold it:

    {"id": "...", "env": {"MAIL_SERVER": "...", ...}, "rows": ["row-id", ...]}

`rows` names the rows of docs/COMPATIBILITY.md that explain a disagreement this configuration
is expected to show (empty when mailconf and fastapi-mail should agree). The test fails on a
disagreement that none of its rows explains. To add cases, add to the lists below.
"""

import json
import pathlib

OUT = pathlib.Path(__file__).with_name("corpus.jsonl")

# A working fastapi-mail configuration for each TLS mode, as its documentation writes them.
STARTTLS_587 = {
    "MAIL_USERNAME": "app@example.com",
    "MAIL_PASSWORD": "app-password",
    "MAIL_FROM": "app@example.com",
    "MAIL_PORT": "587",
    "MAIL_SERVER": "smtp.example.com",
    "MAIL_STARTTLS": "True",
    "MAIL_SSL_TLS": "False",
}
IMPLICIT_465 = dict(STARTTLS_587, MAIL_PORT="465", MAIL_STARTTLS="False", MAIL_SSL_TLS="True")
# A local catcher without login: fastapi-mail still requires the two keys, set empty.
PLAIN_1025 = dict(
    STARTTLS_587,
    MAIL_USERNAME="",
    MAIL_PASSWORD="",
    MAIL_PORT="1025",
    MAIL_SERVER="localhost",
    MAIL_STARTTLS="False",
    MAIL_SSL_TLS="False",
    USE_CREDENTIALS="False",
)

TRUE = ["true", "True", "TRUE", "t", "T", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "1"]
FALSE = ["false", "False", "FALSE", "f", "F", "n", "N", "no", "No", "NO", "off", "Off", "OFF", "0"]
NOT_BOOL = ["2", "tru", "1.0", "enabled", " true", "true ", "True\r", "yes\n", "-1"]

corpus = []
ids = set()


def add(id_, base, rows=(), drop=(), **changes):
    assert id_ not in ids, id_
    ids.add(id_)
    env = {k: v for k, v in base.items() if k not in drop}
    env.update(changes)
    corpus.append({"id": id_, "env": env, "rows": sorted(set(rows))})


def slug(value):
    return value.encode("unicode_escape").decode().replace(" ", "_") or "EMPTY"


# Booleans: every spelling pydantic accepts, on each flag, where the value makes a valid config.
for flag in ["MAIL_STARTTLS", "MAIL_SSL_TLS", "USE_CREDENTIALS", "VALIDATE_CERTS"]:
    for value in TRUE:
        base = IMPLICIT_465 if flag == "MAIL_SSL_TLS" else STARTTLS_587
        add(f"bool/{flag}/true/{slug(value)}", base, **{flag: value})
    for value in FALSE:
        base = IMPLICIT_465 if flag == "MAIL_STARTTLS" else STARTTLS_587
        add(f"bool/{flag}/false/{slug(value)}", base, **{flag: value})
    for value in NOT_BOOL:
        add(f"bool/{flag}/bad/{slug(value)}", STARTTLS_587, **{flag: value})
# Both flags spelled every way at once.
for i, on in enumerate(TRUE):
    for j, off in enumerate(FALSE):
        if (i + j) % 2 == 0:
            add(f"bool/pair/587/{slug(on)}/{slug(off)}", STARTTLS_587, MAIL_STARTTLS=on, MAIL_SSL_TLS=off)
        else:
            add(f"bool/pair/465/{slug(off)}/{slug(on)}", IMPLICIT_465, MAIL_STARTTLS=off, MAIL_SSL_TLS=on)

# The TLS flags on every port, with and without a login, to a remote and a loopback server.
FLAGS = {"starttls": ("True", "False"), "implicit": ("False", "True"), "none": ("False", "False"), "both": ("True", "True")}
for port in ["25", "465", "587", "2525", "1025"]:
    for mode, (starttls, ssl_tls) in FLAGS.items():
        for server in ["smtp.example.com", "127.0.0.1"]:
            for login in [True, False]:
                rows = []
                if mode == "both":
                    rows.append("both-tls-flags")
                elif mode == "starttls" and port == "465":
                    rows.append("starttls-on-465")
                elif mode == "implicit" and port in ("25", "587"):
                    rows.append("implicit-tls-on-587-or-25")
                elif mode == "none":
                    if port == "465":
                        rows.append("plain-on-465")
                    if login and server != "127.0.0.1":
                        rows.append("plaintext-login")
                creds = {} if login else {"USE_CREDENTIALS": "False", "MAIL_USERNAME": "", "MAIL_PASSWORD": ""}
                add(
                    f"tls/{port}/{mode}/{server}/{'login' if login else 'nologin'}",
                    STARTTLS_587,
                    rows,
                    MAIL_PORT=port,
                    MAIL_SERVER=server,
                    MAIL_STARTTLS=starttls,
                    MAIL_SSL_TLS=ssl_tls,
                    **creds,
                )

# Whole numbers: pydantic's `int` spellings, and what it refuses.
for port in ["587", "587.0", "587.00", "+587", "+587.0", " 587 ", "587\r", "\t587", "587\n", "0587", "5_87"]:
    add(f"port/ok/{slug(port)}", STARTTLS_587, MAIL_PORT=port)
for port in ["587.5", "587.", "1e3", "0x24b", "abc", "5 87", "٥٨٧", "_587", "587_", "--587"]:
    add(f"port/bad/{slug(port)}", STARTTLS_587, MAIL_PORT=port)
for port in ["0", "-0", "-1", "-587", "65536", "99999", "100000000000"]:
    add(f"port/range/{slug(port)}", STARTTLS_587, ["port-range"], MAIL_PORT=port)
for timeout in ["60", "60.0", " 60 ", "+60", "60\r", "1", "3600", "0"]:
    add(f"timeout/ok/{slug(timeout)}", STARTTLS_587, MAIL_PORT="587", TIMEOUT=timeout)
for timeout in ["30s", "2m", "500ms", "1h"]:
    add(f"timeout/units/{slug(timeout)}", STARTTLS_587, ["timeout-units"], TIMEOUT=timeout)
for timeout in ["-5", "-1"]:
    add(f"timeout/negative/{slug(timeout)}", STARTTLS_587, ["negative-timeout"], TIMEOUT=timeout)
for timeout in ["abc", "1.5", "6e1", "30 s"]:
    add(f"timeout/bad/{slug(timeout)}", STARTTLS_587, TIMEOUT=timeout)
for key in ["SUPPRESS_SEND", "MAIL_DEBUG"]:
    for value in ["0", "1", "1.0", "+1", " 1 ", "0\r"]:
        add(f"int-flag/{key}/{slug(value)}", STARTTLS_587, ["int-flag-spelling"] if value not in ("0", "1") else [], **{key: value})
    for value in ["true", "True", "false", "yes", "on", "off", "t", "f"]:
        add(f"int-flag/{key}/bool/{slug(value)}", STARTTLS_587, ["int-flag-boolean"], **{key: value})
    for value in ["2", "-1", "abc"]:
        add(f"int-flag/{key}/bad/{slug(value)}", STARTTLS_587, **{key: value})

# Sender addresses.
FROM_OK = [
    "app@example.com", "APP@EXAMPLE.COM", "a.b+tag@sub.example.org", "app@mail.example.com",
    " app@example.com", "app@example.com ", "App <app@example.com>", '"Example App" <app@example.com>',
    '"Doe, Jo" <app@example.com>', "App<app@example.com>", "<app@example.com>", "  App  <app@example.com>  ",
    "app@bücher.example", "app@xn--bcher-kva.example", "zoë@example.com", "app@example.co.uk",
    "Zoë Müller <zoe@example.com>", "app@ex-ample.com", "x@example.museum",
]
for addr in FROM_OK:
    rows = ["from-display-name"] if "<" in addr and not addr.strip().startswith("<") else []
    add(f"from/ok/{slug(addr)}", STARTTLS_587, rows, MAIL_FROM=addr)
FROM_SPECIAL_USE = [
    "app@example.local", "app@mail.local", "app@example.test", "app@example.invalid", "app@sub.localhost",
    "app@example.onion", "app@home.arpa", "app@10.in-addr.arpa", "App <app@example.local>",
]
for addr in FROM_SPECIAL_USE:
    add(f"from/special-use/{slug(addr)}", STARTTLS_587, ["special-use-sender"], MAIL_FROM=addr)
FROM_BOTH_REFUSE = [
    "", "plainaddress", "@example.com", "app@", "a b@example.com", "app@exa mple.com",
    "app@example.com\r", "App\r\n <app@example.com>", "app@-example.com", "Name <not-an-address>",
    "app@example..com", "app@example.com.",
]
for addr in FROM_BOTH_REFUSE:
    add(f"from/bad/{slug(addr)}", STARTTLS_587, MAIL_FROM=addr)
FROM_MAILCONF_ONLY = ["app@localhost", "app@example", "app@[127.0.0.1]", "app@mail_hog"]
for addr in FROM_MAILCONF_ONLY:
    add(f"from/dotless-or-literal/{slug(addr)}", STARTTLS_587, ["sender-domain-syntax"], MAIL_FROM=addr)
for addr in ["Shop, Inc <app@example.com>", "Shop (EU) <app@example.com>"]:
    add(f"from/name-syntax/{slug(addr)}", STARTTLS_587, ["from-name-syntax", "from-display-name"], MAIL_FROM=addr)
for from_, name, rows in [
    ("app@example.com", "Example App", []),
    ("App <app@example.com>", "App", []),
    ("App <app@example.com>", "Other", ["from-name-conflict"]),
    ("<app@example.com>", "Example App", []),
    ("app@example.com", "Zoë's Shop", []),
    ("app@example.com", "", []),
    ("app@example.com", "App\r\nBcc: victim@example.com", ["from-name-line-break"]),
    ("app@example.com", "App\n", ["from-name-line-break"]),
]:
    add(f"from-name/{slug(from_)}/{slug(name)}", STARTTLS_587, rows, MAIL_FROM=from_, MAIL_FROM_NAME=name)

# Servers and EHLO names: fastapi-mail takes any string; the connection fails later.
SERVER_OK = [
    "smtp.example.com", "SMTP.Example.COM", "smtp-relay.example.org", "mail_hog", "smtp_relay.internal",
    "127.0.0.1", "::1", "[::1]", "2001:db8::25", "[192.0.2.1]", "bücher.example", "xn--bcher-kva.example",
    "smtp.example.com.", "localhost", "mailpit",
]
for server in SERVER_OK:
    add(f"server/ok/{slug(server)}", STARTTLS_587, MAIL_SERVER=server)
SERVER_MAILCONF_REFUSES = [
    "smtp://smtp.example.com", "smtp.example.com:587", " smtp.example.com", "smtp.example.com\r",
    "app@example.com", "-bad.example", "a..b", "999.1.1.1", "bad host", "smtp.example.com/", "[::1",
]
for server in SERVER_MAILCONF_REFUSES:
    add(f"server/refused/{slug(server)}", STARTTLS_587, ["server-syntax"], MAIL_SERVER=server)
for name in ["app.example.com", "[192.0.2.1]", "[IPv6:2001:db8::1]", "mail_hog", "APP.EXAMPLE.COM", "192.0.2.1", "bücher.example"]:
    add(f"local-hostname/ok/{slug(name)}", STARTTLS_587, LOCAL_HOSTNAME=name)
for name in ["bad host", "app.example.com:25", "[999.1.1.1]", "-app.example.com"]:
    add(f"local-hostname/refused/{slug(name)}", STARTTLS_587, ["local-hostname-syntax"], LOCAL_HOSTNAME=name)

# Key case: pydantic-settings matches names case-insensitively.
for key in list(STARTTLS_587) + ["SUPPRESS_SEND", "USE_CREDENTIALS", "TIMEOUT"]:
    extra = {"SUPPRESS_SEND": "1", "USE_CREDENTIALS": "True", "TIMEOUT": "30"}
    for spelled in dict.fromkeys([key.lower(), key.title(), key.capitalize()]):
        env = {k: v for k, v in STARTTLS_587.items() if k != key}
        env[spelled] = STARTTLS_587.get(key, extra.get(key))
        add(f"key-case/{spelled}", env)
add("key-case/all-lower", {k.lower(): v for k, v in STARTTLS_587.items()})
add("key-case/all-lower-implicit", {k.lower(): v for k, v in IMPLICIT_465.items()} | {"suppress_send": "1"})

# Keys other libraries (or older fastapi-mail) use, next to a working configuration.
# Unknown keys are ignored by fastapi-mail; mailconf warns, and refuses only a near miss of its
# own keys or another library's key (which would silently drop the setting it was meant for).
for key, value, rows in [
    ("MAIL_TO", "ops@example.com", []),
    ("mail_to", "ops@example.com", []),
    ("MAIL_ADMIN", "ops@example.com", []),
    ("MAIL_BCC", "archive@example.com", []),
    ("MAIL_RECIPIENTS", "a@example.com,b@example.com", []),
    ("MAIL_TLS", "True", []),
    ("MAIL_SSL", "False", []),
    ("mail_tls", "False", []),
    ("MAIL_USE_TLS", "True", ["foreign-key"]),
    ("MAIL_USE_SSL", "False", ["foreign-key"]),
    ("mail_use_tls", "True", ["foreign-key"]),
    ("MAIL_DEFAULT_SENDER", "app@example.com", ["foreign-key"]),
    ("MAIL_SUPPRESS_SEND", "True", ["foreign-key"]),
    ("MAIL_ENCRYPTION", "tls", ["foreign-key"]),
    ("MAIL_HOST", "smtp.example.com", ["foreign-key"]),
    ("MAIL_MAILER", "smtp", ["foreign-key"]),
    ("MAIL_FROM_ADDRESS", "app@example.com", ["foreign-key"]),
    ("MAIL_SERVR", "smtp.example.com", ["near-miss-key"]),
    ("MAIL_PASWORD", "app-password", ["near-miss-key"]),
    ("MAIL_STARTLS", "True", ["near-miss-key"]),
    ("MAIL_TIMEOUT", "30", ["near-miss-key"]),
    ("EMAIL_HOST", "smtp.example.com", []),
    ("EMAIL_USE_TLS", "True", []),
    ("APP_NAME", "shop", []),
]:
    add(f"extra-key/{key}", STARTTLS_587, rows, **{key: value})
# An old fastapi-mail key alone: both refuse (the new key is required).
add("old-key/MAIL_TLS-alone", STARTTLS_587, drop=["MAIL_STARTTLS"], MAIL_TLS="True")
add("old-key/MAIL_SSL-alone", IMPLICIT_465, drop=["MAIL_SSL_TLS"], MAIL_SSL="True")

# Missing keys.
for key in STARTTLS_587:
    add(f"missing/{key}", STARTTLS_587, drop=[key])
for key in ["MAIL_USERNAME", "MAIL_PASSWORD"]:
    add(f"missing-without-login/{key}", PLAIN_1025, ["login-keys-required"], drop=[key])
add("missing-without-login/both", PLAIN_1025, ["login-keys-required"], drop=["MAIL_USERNAME", "MAIL_PASSWORD"])
add("plain/local-catcher", PLAIN_1025)
add("mail-url/only", {"MAIL_URL": "smtps://app%40example.com:pw@smtp.example.com:465", "MAIL_FROM": "app@example.com"}, ["mail-url"])
add("mail-url/with-login-keys", {"MAIL_URL": "smtp://smtp.example.com:587?tls=required", "MAIL_FROM": "app@example.com", "MAIL_USERNAME": "u", "MAIL_PASSWORD": "p"}, ["mail-url"])

# Empty values: fastapi-mail refuses an empty boolean or number, and keeps an empty string.
for key in list(STARTTLS_587) + ["USE_CREDENTIALS", "VALIDATE_CERTS", "TIMEOUT", "SUPPRESS_SEND", "MAIL_DEBUG", "MAIL_FROM_NAME", "LOCAL_HOSTNAME", "TEMPLATE_FOLDER", "CERT_BUNDLE"]:
    rows = {
        "MAIL_USERNAME": ["empty-login"],
        "MAIL_PASSWORD": ["empty-login"],
        "MAIL_SERVER": ["server-syntax"],
    }.get(key, [])
    add(f"empty/{key}", STARTTLS_587, rows, **{key: ""})

# Files: TEMPLATE_FOLDER must be a directory for fastapi-mail; mailconf reads CERT_BUNDLE.
for folder, rows in [
    ("support/compat", []),
    ("/", []),
    ("/nonexistent/templates", ["template-folder"]),
    ("support/compat/corpus.jsonl", ["template-folder"]),
]:
    add(f"template-folder/{slug(folder)}", STARTTLS_587, rows, TEMPLATE_FOLDER=folder)
for bundle in ["/nonexistent/ca.pem", "support/compat/corpus.jsonl"]:
    add(f"cert-bundle/{slug(bundle)}", STARTTLS_587, ["cert-bundle"], CERT_BUNDLE=bundle)

with OUT.open("w", encoding="utf-8") as out:
    for entry in corpus:
        out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
print(f"{len(corpus)} configurations written to {OUT}")
