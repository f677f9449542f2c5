"""httprs's network engine under other HTTP clients.

`httprs.compat.httpx` and `httprs.compat.httpx2` hold transports for a real `httpx.Client` /
`httpx.AsyncClient` (and `httpx2`'s): code that must keep its httpx client (the openai and
anthropic SDKs check `isinstance(http_client, httpx.Client)`) sends its requests over
httprs's Rust network stack with `transport=httprs.compat.httpx.HTTPTransport()`.

Each module imports its library when it is imported itself; `import httprs` and
`import httprs.compat` import neither.
"""
