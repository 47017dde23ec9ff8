"""A Lambda stand-in for bench/answers.sh: answers every POST with one large function result.

Usage: python3 big_answer_standin.py PORT array|string
  array   a 4.6 MB JSON array of 130,000 small objects (a raw route passes it on as it came)
  string  a 4 MiB JSON string (a raw route unquotes it)
"""
import http.server
import json
import sys

if sys.argv[2] == "array":
    BODY = json.dumps([{"id": i, "name": "item %d" % i} for i in range(130000)]).encode()
else:
    BODY = b'"' + b"x" * (4 * 1024 * 1024) + b'"'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
