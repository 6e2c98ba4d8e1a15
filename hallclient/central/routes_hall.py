"""The hall's own pages, served by the central: /kiosk (the ticket dispenser) and /board (the hall
board). Plain HTML + JavaScript from hallclient/resources/hall/, no build step and nothing fetched from the
internet; both talk to the open part of the queue API (hallclient.central.routes_queue)."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from hallclient.paths import resource_path

router = APIRouter(include_in_schema=False)


@cache
def _page(name: str) -> str:
    return resource_path("hall", name).read_text(encoding="utf-8")


def _html(name: str) -> HTMLResponse:
    return HTMLResponse(_page(name), headers={"Cache-Control": "no-cache"})


@router.get("/kiosk")
def kiosk() -> HTMLResponse:
    return _html("kiosk.html")


@router.get("/board")
def board() -> HTMLResponse:
    return _html("board.html")
