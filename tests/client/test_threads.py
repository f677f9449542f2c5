import threading
import time

import httprs
import pytest

pytestmark = pytest.mark.network


def test_shared_client_runs_requests_concurrently(server):
    results: dict[int, tuple[int, str, str]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    with httprs.Client() as client:
        # Warm up so that connection setup is not part of the measured time.
        assert client.get(server.url + "/slow?delay=0").text == "ok"

        def worker(i: int) -> None:
            try:
                barrier.wait(timeout=10)
                r = client.get(server.url + "/slow", params={"delay": "0.5", "thread": str(i)})
                results[i] = (r.status_code, r.text, r.headers["x-echo-query"])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        elapsed = time.monotonic() - start

    assert errors == []
    assert sorted(results) == list(range(8))
    for i, (status, text, echoed) in results.items():
        assert status == 200
        assert text == "ok"
        assert echoed == f"delay=0.5&thread={i}"
    # Serial execution would take 8 * 0.5 = 4 s.
    assert elapsed < 2.5


def test_threads_streaming_on_a_shared_client(server):
    errors: list[BaseException] = []
    sizes: dict[int, int] = {}

    with httprs.Client() as client:

        def worker(i: int) -> None:
            try:
                size = 100_000 + i
                with client.stream("GET", server.url + "/bytes", params={"size": size}) as r:
                    sizes[i] = sum(len(chunk) for chunk in r.iter_bytes(4096))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

    assert errors == []
    assert sizes == {i: 100_000 + i for i in range(8)}
