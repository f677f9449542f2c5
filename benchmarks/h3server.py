"""L and M's server: hypercorn (HTTP/3 over QUIC, HTTP/2 over TLS) serving ``bench_app``, with
two bugs of its HTTP/3 worked around (``tests/support/servers/hypercorn_fixes.py``: without
them, 100 streams in flight take its QUIC server down within a second). The arguments are
hypercorn's own (``python -m hypercorn --help``).

A connection serves any number of requests, as nginx's ``keepalive_requests 100000000`` in
servers.py: hypercorn's default closes one after 1,000 requests with the rest of its streams
in flight, which a client without retries reads as a broken pipe.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench_app
sys.path.insert(1, str(HERE.parent))  # tests.support

from hypercorn.__main__ import main  # noqa: E402
from hypercorn.config import Config  # noqa: E402

from tests.support.servers import hypercorn_fixes  # noqa: E402

if __name__ == "__main__":
    hypercorn_fixes.apply()
    Config.keep_alive_max_requests = 100_000_000
    sys.exit(main(sys.argv[1:]))
