"""HTTP to the Bot API on aiohttp, python-telegram-bot's documented way to bring one's own networking.

Every reply and every reminder is one HTTP request, and the bot process is
bound by Python time: PTB's default HTTPXRequest spent about 0.83 ms of it per
sendMessage here, this class about 0.27 ms (bench/reminders_bench.py and
docs/BENCHMARKS.md). PTB does the rest as usual: building the request data,
reading the answer, raising its errors for Telegram's error codes; this class
only moves bytes and turns transport failures into PTB's TimedOut and
NetworkError.
"""

from __future__ import annotations

import urllib.request

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """A timeout a call passed, or this request's own default when it passed none."""
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """Keep-alive connections, at most `connection_pool_size` at once; timeouts as HTTPXRequest's defaults."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the connection pool, and read the proxy settings (HTTPS_PROXY, NO_PROXY...) once.

        PTB's httpx default honours them too; aiohttp's own trust_env would read the
        environment and ~/.netrc again on every request, which halved throughput.
        """
        if self._session is None or self._session.closed:
            self._proxies = urllib.request.getproxies_environment()
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    def _proxy(self, url: str) -> str | None:
        scheme, _, rest = url.partition("://")
        proxy = self._proxies.get(scheme)
        if proxy is None:
            return None
        host = rest.split("/", 1)[0]
        return None if urllib.request.proxy_bypass_environment(host, self._proxies) else proxy

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _timeout(
        self,
        read: ODVInput[float],
        write: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
        uploading: bool,
    ) -> aiohttp.ClientTimeout:
        """PTB's four timeouts in aiohttp's terms: a write is over once the answer starts, so it bounds
        the wait for the answer's first bytes together with the read; the pool wait adds to connecting."""
        read = _given(read, self._read_timeout)
        write = _given(write, self._media_write_timeout if uploading else self._write_timeout)
        connect = _given(connect, self._connect_timeout)
        pool = _given(pool, self._pool_timeout)
        sending = None if read is None or write is None else read + write
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect, sock_read=sending)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        fields = request_data.json_parameters if request_data else None
        files = request_data.multipart_data if request_data else None
        body: dict[str, str] | aiohttp.FormData | None = fields
        if files:
            body = aiohttp.FormData()
            for name, value in (fields or {}).items():
                body.add_field(name, value)
            for name, (filename, content, mime_type) in files.items():
                body.add_field(name, content, filename=filename, content_type=mime_type)
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, bool(files))
        try:
            request = self._session.request(method, url, data=body, timeout=timeout, proxy=self._proxy(url))
            async with request as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error
