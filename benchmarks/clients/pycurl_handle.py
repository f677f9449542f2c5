"""pycurl: one ``Curl`` handle (libcurl's easy interface) reused for every request, which keeps
its connection alive."""

from __future__ import annotations

import io
import json
from typing import Any

from clients import Library, Options, check


class Session:
    def __init__(self, pycurl: Any, opts: Options) -> None:
        self.pycurl = pycurl
        self.curl = pycurl.Curl()
        if opts.ca:
            self.curl.setopt(pycurl.CAINFO, opts.ca)

    def get(self, url: str) -> bytes:
        curl, pycurl = self.curl, self.pycurl
        buffer = io.BytesIO()
        curl.setopt(pycurl.URL, url)
        curl.setopt(pycurl.WRITEDATA, buffer)
        curl.perform()
        check(curl.getinfo(pycurl.RESPONSE_CODE))
        return buffer.getvalue()

    def get_json(self, url: str) -> Any:
        return json.loads(self.get(url))

    def stream(self, url: str) -> int:
        curl, pycurl = self.curl, self.pycurl
        size = 0

        def write(chunk: bytes) -> None:
            nonlocal size
            size += len(chunk)

        curl.setopt(pycurl.URL, url)
        curl.setopt(pycurl.WRITEFUNCTION, write)
        curl.perform()
        check(curl.getinfo(pycurl.RESPONSE_CODE))
        return size

    def put(self, url: str, data: bytes) -> None:
        curl, pycurl = self.curl, self.pycurl
        curl.setopt(pycurl.URL, url)
        curl.setopt(pycurl.CUSTOMREQUEST, "PUT")
        curl.setopt(pycurl.POSTFIELDS, data)
        curl.setopt(pycurl.WRITEDATA, io.BytesIO())
        curl.perform()
        check(curl.getinfo(pycurl.RESPONSE_CODE))

    def close(self) -> None:
        self.curl.close()


class Pycurl(Library):
    name = module = "pycurl"
    asyncio = False
    threads = "a Curl handle must not be used by two threads at once"

    def open(self, opts: Options) -> Session:
        return Session(self.mod, opts)

    def cold_start(self) -> str:
        return (
            "import io, pycurl\n"
            "curl = pycurl.Curl()\n"
            "curl.setopt(pycurl.URL, URL)\n"
            "curl.setopt(pycurl.WRITEDATA, io.BytesIO())\n"
            "curl.perform()"
        )
