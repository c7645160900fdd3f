"""Parses one message (bytes on stdin) with Python's `email` package (policy=default), the
strict independent reader of mailconf's MIME tests, and prints what it found as JSON:
the top-level headers (decoded), every part's content type, charset, transfer encoding,
defects and decoded text, and the length of the longest line in octets."""
import base64
import json
import sys
from email import policy
from email.parser import BytesParser

raw = sys.stdin.buffer.read()
message = BytesParser(policy=policy.default).parsebytes(raw)

parts = []
for part in message.walk():
    entry = {
        "content_type": part.get_content_type(),
        "charset": part.get_param("charset"),
        "transfer_encoding": part.get("Content-Transfer-Encoding"),
        "defects": [type(d).__name__ for d in part.defects],
        "header_defects": [
            type(d).__name__ for name, value in part.items() for d in getattr(value, "defects", ())
        ],
        "filename": part.get_filename(),
        "content_id": part.get("Content-ID"),
    }
    if not part.is_multipart():
        payload = part.get_payload(decode=True) or b""
        entry["payload_b64"] = base64.b64encode(payload).decode("ascii")
    if not part.is_multipart() and part.get_content_maintype() == "text":
        try:
            # Line breaks as "\n" whether the encoded text had CRLF (base64) or not.
            entry["text"] = part.get_content().replace("\r\n", "\n")
        except Exception as e:  # a decoding failure is a finding, not a crash
            entry["text"] = None
            entry["defects"].append("GetContentFailed: %s" % e)
    parts.append(entry)

lines = raw.split(b"\n")
print(json.dumps({
    "headers": {name: str(value) for name, value in message.items()},
    "header_names": [name for name, _ in message.items()],
    "addresses": {
        name: [a.addr_spec for a in message[name].addresses]
        for name in ("From", "To", "Cc", "Reply-To", "Bcc")
        if message[name] is not None and hasattr(message[name], "addresses")
    },
    "parts": parts,
    "longest_line": max(len(line.rstrip(b"\r")) for line in lines) if lines else 0,
}, ensure_ascii=False))
