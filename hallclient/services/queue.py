"""The window's own queue records (walk-in numbers, events while the central is away),
made by the signed-in clerk. The central's tickets themselves are called over HTTP
(`sync_ops.QueueClient`); this is only what the window keeps in its store and outbox."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from hallclient.core.permissions import Action, Actor, require
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store import queue_repo
from hallclient.sync import queue_offline
from hallclient.sync.queue_client import QueueTicket

QUEUE_CHANGES = Changes(queue=True, outbox=True)


def _as_clerk(ctx: ServiceContext, actor: Actor):  # type: ignore[no-untyped-def]
    """The settings the offline queue code reads, with the signed-in person as the clerk."""
    return dataclasses.replace(ctx.settings, clerk_name=actor.name)


def issue_walkin(ctx: ServiceContext, actor: Actor) -> Result[QueueTicket]:
    require(actor, Action.QUEUE_CALL)
    with ctx.store.session() as session, session.begin():
        ticket = queue_offline.issue_walkin(session, _as_clerk(ctx, actor))
    return Result(ticket, dataclasses.replace(QUEUE_CHANGES))


def call_walkin(ctx: ServiceContext, actor: Actor, number: str | None = None) -> Result[QueueTicket | None]:
    """The next waiting walk-in of this window (or the one numbered `number`), called."""
    require(actor, Action.QUEUE_CALL)
    with ctx.store.session() as session, session.begin():
        ticket = queue_offline.call_walkin(session, _as_clerk(ctx, actor), number)
    return Result(ticket, dataclasses.replace(QUEUE_CHANGES) if ticket else Changes())


def record_event(ctx: ServiceContext, actor: Actor, ticket: QueueTicket, kind: str) -> Result[QueueTicket]:
    """What the clerk did with `ticket` while offline (or with a walk-in), for the outbox."""
    require(actor, Action.QUEUE_CALL)
    with ctx.store.session() as session, session.begin():
        after = queue_offline.record(session, _as_clerk(ctx, actor), ticket, kind)
    return Result(after, dataclasses.replace(QUEUE_CHANGES))


def hand_over(ctx: ServiceContext) -> Result[int]:
    """The central has this window's walk-ins now: stop calling them locally."""
    with ctx.store.session() as session, session.begin():
        count = queue_repo.hand_over(session, ctx.window_number)
    return Result(count, Changes(queue=bool(count)))


def waiting_walkins(ctx: ServiceContext, day: str | None = None) -> int:
    day = day or datetime.now().astimezone().date().isoformat()
    with ctx.store.session() as session:
        return queue_repo.waiting_walkins(session, ctx.window_number, day)
