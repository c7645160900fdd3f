"""Loads every configuration of a corpus through fastapi-mail's own `ConnectionConfig`, as a
FastAPI service does: from the process environment, read by pydantic-settings.

Usage: python fastapi_mail_runner.py CORPUS.jsonl
Prints one JSON line per configuration, in corpus order:
    {"id": ..., "ok": true, "values": {...}}  or  {"id": ..., "ok": false, "errors": [...]}
and first a line {"fastapi_mail": VERSION, "pydantic": VERSION, "pydantic_settings": VERSION}.
One process for the whole corpus: the test stays fast.
"""

import json
import os
import sys
from importlib.metadata import version

from fastapi_mail import ConnectionConfig
from pydantic import ValidationError


def ascii_address(address):
    """The address with its domain in lower-case ASCII (IDNA), to compare with mailconf's."""
    local, _, domain = address.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain.lower()}"


def values(config):
    return {
        "port": config.MAIL_PORT,
        "server": config.MAIL_SERVER,
        "starttls": config.MAIL_STARTTLS,
        "ssl_tls": config.MAIL_SSL_TLS,
        "use_credentials": config.USE_CREDENTIALS,
        "validate_certs": config.VALIDATE_CERTS,
        "suppress_send": bool(config.SUPPRESS_SEND),
        "timeout": config.TIMEOUT,
        "from": ascii_address(str(config.MAIL_FROM)),
        "from_name": config.MAIL_FROM_NAME or None,
        "username": config.MAIL_USERNAME,
    }


def main():
    corpus = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    every_key = {key for entry in corpus for key in entry["env"]}
    # Nothing of the caller's environment may leak into a configuration.
    for key in list(os.environ):
        if key.upper() in {k.upper() for k in every_key} or key.upper().startswith("MAIL_"):
            del os.environ[key]
    out = sys.stdout
    out.write(json.dumps({
        "fastapi_mail": version("fastapi-mail"),
        "pydantic": version("pydantic"),
        "pydantic_settings": version("pydantic-settings"),
    }) + "\n")
    for entry in corpus:
        os.environ.update(entry["env"])
        try:
            result = {"id": entry["id"], "ok": True, "values": values(ConnectionConfig())}
        except ValidationError as e:
            errors = [
                {"loc": ".".join(str(part) for part in err["loc"]), "type": err["type"], "msg": err["msg"]}
                for err in e.errors()
            ]
            result = {"id": entry["id"], "ok": False, "errors": errors}
        finally:
            for key in entry["env"]:
                del os.environ[key]
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
