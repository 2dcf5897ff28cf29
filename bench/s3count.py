#!/usr/bin/env python3
"""Counting reverse proxy for an S3 server, for bench/chunks.sh.

    bench/s3count.py LISTEN_PORT UPSTREAM_HOST:UPSTREAM_PORT

Forwards every request (method, path, headers, body) to the upstream server and returns its
status, headers and body unchanged. The Host header is passed through as the client sent it,
so SigV4 signatures (which sign Host) still verify upstream: point the client at this port.
Bodies are streamed, never held whole, so a multi-GiB PUT costs no memory.

`GET /__s3count__` is answered here, not forwarded: lines of `KEY REQUESTS BYTES`, the
requests and request-body bytes seen so far, first `total`, then one line per method.
Counters only grow; the caller takes the difference of two readings.

`GET /__s3count__/ops` (bench/smallfiles.sh) is answered here too: lines of
`KIND REQUESTS BYTES_SENT BYTES_RECEIVED`, first `total`, then one line per kind of request:
the method, except `LIST` (a GET of a bucket), `PUT-part` (a multipart part),
`POST-create` / `POST-complete` (start and end of a multipart upload) and `POST-delete`;
BYTES_SENT counts request bodies, BYTES_RECEIVED response bodies.
"""
import http.client
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNT_PATH = "/__s3count__"
OPS_PATH = "/__s3count__/ops"
PIECE = 1 << 20
lock = threading.Lock()
counts = {"requests": 0, "bytes": 0, "methods": {}}
ops = {}  # kind -> [requests, request-body bytes, response-body bytes], total included


def count(method, nbytes):
    with lock:
        counts["requests"] += 1
        counts["bytes"] += nbytes
        m = counts["methods"].setdefault(method, {"requests": 0, "bytes": 0})
        m["requests"] += 1
        m["bytes"] += nbytes


def kind(method, path):
    """What a request does, for the ops view: its method, or a finer kind (see above)."""
    p, _, q = path.partition("?")
    keys = {a.partition("=")[0] for a in q.split("&") if a}
    if method == "GET" and ("list-type" in keys or "/" not in p.strip("/")):
        return "LIST"
    if method == "PUT" and "partNumber" in keys:
        return "PUT-part"
    if method == "POST":
        for k, name in (("uploads", "POST-create"), ("uploadId", "POST-complete"),
                        ("delete", "POST-delete")):
            if k in keys:
                return name
    return method


def count_op(k, sent, received):
    with lock:
        for key in ("total", k):
            o = ops.setdefault(key, [0, 0, 0])
            o[0] += 1
            o[1] += sent
            o[2] += received


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive both ways, as S3 clients expect
    upstream = None  # (host, port), set in main

    def log_message(self, *args):
        pass

    def _conn(self):
        # One upstream connection per client connection (this handler lives as long as it).
        if getattr(self, "_up", None) is None:
            self._up = http.client.HTTPConnection(*self.upstream, timeout=600)
        return self._up

    def _relay_body(self, up):
        """Send the request body upstream as it arrives; returns the body's byte count."""
        te = self.headers.get("Transfer-Encoding", "").lower()
        if "chunked" in te:
            # Re-emit the chunked framing as received (sizes, extensions, trailers).
            total = 0
            while True:
                line = self.rfile.readline()
                up.send(line)
                size = int(line.split(b";")[0].strip(), 16)
                if size == 0:
                    while True:  # trailers, then the empty line
                        t = self.rfile.readline()
                        up.send(t)
                        if t in (b"\r\n", b"\n", b""):
                            return total
                self._copy(up, size)
                total += size
                up.send(self.rfile.readline())  # CRLF after the chunk
        total = int(self.headers.get("Content-Length") or 0)
        self._copy(up, total)
        return total

    def _copy(self, up, left):
        """Send the next `left` bytes of the request upstream, a piece at a time."""
        while left:
            buf = self.rfile.read(min(PIECE, left))
            if not buf:
                raise ConnectionError("client closed mid-body")
            up.send(buf)
            left -= len(buf)

    def _forward(self):
        if self.command == "GET" and self.path == COUNT_PATH:
            with lock:
                lines = ["total %d %d" % (counts["requests"], counts["bytes"])]
                lines += ["%s %d %d" % (m, c["requests"], c["bytes"])
                          for m, c in sorted(counts["methods"].items())]
            body = ("\n".join(lines) + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.command == "GET" and self.path == OPS_PATH:
            with lock:
                lines = ["%s %d %d %d" % (k, *ops[k]) for k in
                         ["total"] + sorted(k for k in ops if k != "total") if k in ops]
            body = ("\n".join(lines or ["total 0 0 0"]) + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        for attempt in (0, 1):
            up = self._conn()
            try:
                up.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for k, v in self.headers.items():
                    up.putheader(k, v)
                up.endheaders()
                break
            except (ConnectionError, OSError):
                # The upstream closed an idle keep-alive connection: reconnect once. Nothing
                # of the body has been read from the client yet, so this is safe.
                up.close()
                self._up = None
                if attempt:
                    raise
        nbytes = self._relay_body(up)
        count(self.command, nbytes)
        resp = up.getresponse()
        self.send_response_only(resp.status, resp.reason)
        chunked = False
        for k, v in resp.getheaders():
            if k.lower() == "transfer-encoding" and "chunked" in v.lower():
                chunked = True  # http.client de-chunks; we chunk again below
            self.send_header(k, v)
        self.end_headers()
        received = 0
        if self.command != "HEAD" and resp.status not in (204, 304):
            while True:
                buf = resp.read1(PIECE) if chunked else resp.read(PIECE)
                if not buf:
                    break
                received += len(buf)
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(buf), buf))
                else:
                    self.wfile.write(buf)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        resp.close()
        count_op(kind(self.command, self.path), nbytes, received)
        if resp.will_close:
            up.close()
            self._up = None
            self.close_connection = True

    # A client's `Expect: 100-continue` is answered here (BaseHTTPRequestHandler does it) and
    # still forwarded, since it may be signed; http.client skips the upstream's 100 reply.
    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _forward


def main():
    port = int(sys.argv[1])
    host, _, uport = sys.argv[2].rpartition(":")
    Proxy.upstream = (host, int(uport))
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()


if __name__ == "__main__":
    main()
