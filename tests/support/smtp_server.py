"""A real SMTP server for the delivery tests (aiosmtpd), on 127.0.0.1 at the given port.

Each message received is parsed with Python's `email` package (a MIME parser independent of
the Rust client that wrote it) and written as one JSON file into the given folder: envelope,
decoded subject and the raw Subject header, the text body, each attachment's file name and
SHA-256, and the parser's defects. With --user and --password, AUTH is required and only that
pair is accepted (over plain text: the server is on loopback). With --refuse ADDRESS (repeatable)
that recipient is refused with 550, as a real server refuses an unknown mailbox. With --cert and
--key, STARTTLS is offered and required (--implicit-tls: TLS from the first byte instead), with
that certificate. Prints READY once listening, then runs until killed.
"""

import argparse
import hashlib
import json
import os
import ssl
import sys
import time
import email
import email.policy

import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, folder, refused=()):
        self.folder = folder
        self.count = 0
        self.refused = {a.lower() for a in refused}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = ""
        attachments = []
        for part in message.walk():
            if part.is_multipart():
                continue
            if part.get_content_disposition() == "attachment":
                payload = part.get_payload(decode=True) or b""
                attachments.append(
                    {
                        "filename": part.get_filename(),
                        "content_type": part.get_content_type(),
                        "size": len(payload),
                        "sha256": hashlib.sha256(payload).hexdigest(),
                    }
                )
            elif part.get_content_type() == "text/plain" and not body:
                body = part.get_content()
        raw_subject = ""
        for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
            if raw_subject and line[:1] in (b" ", b"\t"):
                raw_subject += line.decode("ascii", "replace")
            elif line.lower().startswith(b"subject:"):
                raw_subject = line.decode("ascii", "replace")
            elif raw_subject:
                break
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": str(message["subject"]),
            "raw_subject": raw_subject,
            "message_id": str(message["message-id"]),
            "mime_version": str(message["mime-version"]),
            "content_type": message.get_content_type(),
            "body": body,
            "attachments": attachments,
            "defects": [repr(d) for p in message.walk() for d in p.defects],
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
        }
        self.count += 1
        name = "%d-%06d.json" % (int(time.time() * 1000), self.count)
        temp = os.path.join(self.folder, "." + name)
        with open(temp, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
        os.replace(temp, os.path.join(self.folder, name))
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    args = parser.parse_args()
    # AUTH without TLS is on purpose here (loopback only); keep the test output quiet.
    warnings.simplefilter("ignore")

    kwargs = {}
    if args.user is not None:
        expected = (args.user.encode(), (args.password or "").encode())

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == expected
            # handled=False: the server answers 535 itself on failure.
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.implicit_tls:
            kwargs["ssl_context"] = context
        else:
            kwargs.update(tls_context=context, require_starttls=True)
    controller = Controller(
        Recorder(args.dir, args.refuse), hostname="127.0.0.1", port=args.port, **kwargs
    )
    controller.start()
    print("READY", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
