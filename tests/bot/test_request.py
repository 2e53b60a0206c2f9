"""bot.request.AiohttpRequest: what python-telegram-bot sends through it arrives whole, and failures are PTB's errors."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.local_api import LocalBotApi
from bot.request import AiohttpRequest

TOKEN = "777:REQUEST-test-token-abcdefghijklmnopqrstuv"
USER = 4242


@pytest.fixture
async def api():
    async with LocalBotApi(token=TOKEN) as server:
        server.register_user(USER)
        yield server


def bot_for(api: LocalBotApi) -> Bot:
    return Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url, request=AiohttpRequest(4))


async def test_text_buttons_and_an_upload_arrive_and_the_file_comes_back(api):
    async with bot_for(api) as bot:
        sent = await bot.send_message(USER, "<b>weight</b> 182 lb & more", parse_mode="HTML")
        assert sent.text == "weight 182 lb & more" and sent.entities[0].type == "bold"
        content = bytes(range(256)) * 40  # binary, larger than one read
        document = await bot.send_document(USER, content, filename="export.bin", caption="your data")
        assert document.document.file_name == "export.bin" and document.caption == "your data"
        file = await bot.get_file(document.document.file_id)
        assert bytes(await file.download_as_bytearray()) == content


async def test_telegrams_own_errors_are_still_raised_by_ptb(api):
    async with bot_for(api) as bot:
        with pytest.raises(BadRequest, match="[Cc]hat not found"):
            await bot.send_message(USER + 1, "nobody")


async def test_a_server_that_is_not_there_is_a_network_error(unused_tcp_port):
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{unused_tcp_port}/bot{TOKEN}/getMe")


async def test_a_server_that_never_answers_is_a_timeout():
    async def accept_and_stay_silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(-1)

    server = await asyncio.start_server(accept_and_stay_silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with AiohttpRequest(read_timeout=0.2, write_timeout=0.1) as request:
            with pytest.raises(TimedOut):
                await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        server.close()


async def test_the_proxy_environment_is_honoured_and_no_proxy_too(api, monkeypatch, unused_tcp_port):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{unused_tcp_port}")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError):
            await request.post(f"{api.base_url}{TOKEN}/getMe")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with AiohttpRequest() as request:
        assert (await request.post(f"{api.base_url}{TOKEN}/getMe"))["is_bot"]
