"""An SMTP server that stalls, as real ones sometimes do, for the delivery deadline tests.

--mode silent: accepts the connection and never says a word.
--mode drip: greets and answers EHLO, MAIL, RCPT and DATA at once, then answers the message
with a reply that never ends, one byte every --interval seconds: each read of the client gets
something well within any per-read limit, so only a deadline for the whole delivery ends it.
Prints READY once listening, then runs until killed.
"""

import argparse
import socket
import sys
import threading
import time


def serve_drip(conn, interval):
    conn.sendall(b"220 slow.example ESMTP\r\n")
    buffer = b""
    in_data = False
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return
        buffer += chunk
        if in_data:
            if b"\r\n.\r\n" in buffer:
                break
            continue
        while b"\r\n" in buffer:
            line, buffer = buffer.split(b"\r\n", 1)
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250-slow.example\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                in_data = True
                break
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")
        if in_data and b"\r\n.\r\n" in buffer:
            break
    while True:
        for byte in b"250-still working\r\n":
            time.sleep(interval)
            conn.sendall(bytes([byte]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["silent", "drip"], required=True)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(16)
    print("READY", flush=True)
    held = []
    while True:
        conn, _ = listener.accept()
        held.append(conn)
        if args.mode == "drip":
            threading.Thread(
                target=lambda c=conn: _safe(serve_drip, c, args.interval), daemon=True
            ).start()


def _safe(function, *arguments):
    try:
        function(*arguments)
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
