"""Live change streams held by a client of the bench: raw asyncio sockets on an event loop of a thread of their own,
each reading `GET /changes` as text/event-stream and keeping only when each event's trip id arrived."""
import asyncio
import resource
import threading
import time


class EventStream:
    """One response of GET /changes as text/event-stream, its chunked body taken apart as it arrives."""

    def __init__(self, streams):
        self.streams = streams
        self.raw = b""
        self.body = b""
        self.synced = False

    def feed(self, data, now):
        self.raw += data
        while (line_end := self.raw.find(b"\r\n")) >= 0:
            size = int(self.raw[:line_end].split(b";")[0], 16)
            end = line_end + 2 + size
            if len(self.raw) < end + 2:
                break
            self.body += self.raw[line_end + 2:end]
            self.raw = self.raw[end + 2:]
        while (event_end := self.body.find(b"\n\n")) >= 0:
            self.event(self.body[:event_end], now)
            self.body = self.body[event_end + 2:]

    def event(self, text, now):
        if b"event: synced" in text:
            self.synced = True
            self.streams.synced += 1
        elif (start := text.find(b'data: {"id":"')) >= 0:
            trip = text[start + 13:start + 37].decode()
            self.streams.arrivals.setdefault(trip, []).append(now)
        elif text.startswith(b": heartbeat"):
            self.streams.heartbeats += 1


class LiveStreams:
    """Streams held on an event loop of its own thread; the bench's other work goes on meanwhile."""

    def __init__(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.holding = None
        self.arrivals = {}
        self.synced = self.heartbeats = self.ended = self.refused = 0
        self.writers = []

    def open(self, port, tokens, per_token):
        """Opens `per_token` streams with each token and returns once every one has sent `synced`."""
        count = len(tokens) * per_token

        async def open_all():
            gate = asyncio.Semaphore(50)
            self.holding = asyncio.gather(*(self.hold(port, token, gate) for token in tokens for _ in range(per_token)))
            await self.holding

        asyncio.run_coroutine_threadsafe(open_all(), self.loop)
        deadline = time.monotonic() + 120
        while self.synced + self.refused < count:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {self.synced} of {count} live streams synced within 120 s")
            time.sleep(0.05)
        if self.refused:
            raise SystemExit(f"{self.refused} of {count} live streams were refused")

    async def hold(self, port, token, gate):
        async with gate:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(f"GET /changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                             "Accept: text/event-stream\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
            except (OSError, asyncio.IncompleteReadError):
                self.refused += 1
                return
            if not head.startswith(b"HTTP/1.1 200") or b"transfer-encoding: chunked" not in head.lower():
                self.refused += 1
                writer.close()
                return
            self.writers.append(writer)
        stream = EventStream(self)
        try:
            while data := await reader.read(65536):
                stream.feed(data, time.monotonic())
        except OSError:
            pass
        self.ended += 1

    def close(self):
        async def close_all():
            if self.holding:
                self.holding.cancel()
                await asyncio.gather(self.holding, return_exceptions=True)
            for writer in self.writers:
                writer.close()

        asyncio.run_coroutine_threadsafe(close_all(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    def latencies(self, writes, per_write):
        """Seconds from each write to its event's arrival on each stream expected to get it; a missing one is None."""
        seconds = []
        for trip, sent in writes:
            arrived = self.arrivals.get(trip, [])
            seconds += [when - sent for when in arrived] + [None] * (per_write - len(arrived))
        return seconds
