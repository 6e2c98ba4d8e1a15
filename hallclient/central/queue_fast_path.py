"""The window's hottest queue calls (call-next and the ticket actions: start, finish, recall, park,
resume, cancel, return, no-show), answered without FastAPI's routing and dependency machinery.

Why: profiled under a 200-window burst (bench/bench_queue.py --profile), about two thirds of the
central's CPU per call-next went to the framework around the call (walking the router's ~150
routes, solving the dependencies, validating the response through the response model, two
threadpool hand-offs), one third to the call itself. A hall calls these two routes more than all
others together, so they alone take this path.

What stays the same: the routes in `routes_queue` still exist and are what the OpenAPI document
describes; the request body is validated by the same pydantic models (`CallNextIn`, `ActionIn`),
the answer by the same response models (`CallOut`, `TicketOut`), the service functions are the
same (`queue_service`), and so are the device token and its cache (`TokenCache`). Anything off
the happy path (no or unknown token, a body that does not validate, another content type, a
path that does not match) is handed to the FastAPI app unchanged, body included, so every
refusal is answered by the one place that answers them. Errors the service raises are answered
as the routes answer them (`QueueError` with its status, a rule's `ValueError` as 409, the
database's errors as the app's handlers do).

PostgreSQL: the service runs in a thread pool of its own (`app.QUEUE_THREADS` threads, one
hand-off per request, no anyio cancel scope around it). SQLite, which takes one writer at a
time anyway: one writer thread commits the calls waiting for it together (`GroupCommit`).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hallclient.central import prepared, queue_service, routes_queue
from hallclient.central import queue_store as qs
from hallclient.central.accounts import Principal, hash_token, lookup_hash
from hallclient.central.answers import CONFLICT, DATABASE_DOWN, INTERNAL, error
from hallclient.central.queue_schemas import ActionIn, CallNextIn, CallOut, TicketOut
from hallclient.central.queue_store import QueueError
from hallclient.central.schemas import UUID_PATTERN

log = logging.getLogger("hallclient.central")

CALL_NEXT = "/api/v1/queue/call-next"
_TICKET_ACTION = re.compile(rf"/api/v1/queue/tickets/({UUID_PATTERN.strip('^$')})/([a-z-]+)")
# The ticket actions whose body is ActionIn: the routes' own table, and no-show (its own route
# for its one more field).
ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {name: action for name, (_summary, action)
                                                     in routes_queue.ACTIONS.items()}
MAX_BODY = 64 * 1024  # a call-next body is a few hundred bytes; a larger one takes the ordinary way
_DELEGATE = object()


class QueueFastPath:
    """In front of the whole application (`app.CentralApp`), so that not even Starlette's
    middleware stack is walked for these calls: see the module doc. `app` is the application
    every other request goes to, `state` the application's state (store, queue settings, token
    cache)."""

    def __init__(self, app: ASGIApp, state: Any, threads: int = 40, group_commit: bool = False) -> None:
        self.app = app
        self.state = state
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="queue")
        self.group = GroupCommit(state) if group_commit else None
        self.answered = 0  # requests this path answered itself (not handed on): for tests and diagnostics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = _route(scope) if scope["type"] == "http" and scope["method"] == "POST" else None
        token = _json_bearer(scope) if route is not None else None
        if route is None or token is None:
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        replay = _replaying(body, receive)
        if not complete:
            await self.app(scope, replay, send)
            return
        kind, ticket_id = route
        try:
            request: BaseModel = (CallNextIn if kind == "call-next" else ActionIn).model_validate_json(body)
        except ValidationError:
            await self.app(scope, replay, send)  # FastAPI answers the 422 as for every route
            return
        if self.group is not None:
            answer = await self.group.call(token, kind, ticket_id, request)
        else:
            loop = asyncio.get_running_loop()
            answer = await loop.run_in_executor(self.executor, _serve, self.state, token, kind, ticket_id, request)
        if answer is _DELEGATE:
            await self.app(scope, replay, send)  # unknown token: FastAPI answers the 401
            return
        self.answered += 1
        status, content = answer
        if status == 200:
            await _send_json(send, 200, content)
        else:
            await error(status, content)(scope, receive, send)


def _route(scope: Scope) -> tuple[str, str | None] | None:
    path: str = scope["path"]
    root = scope.get("root_path") or ""
    if root and path.startswith(root):
        path = path[len(root):]
    if path == CALL_NEXT:
        return "call-next", None
    if path.startswith("/api/v1/queue/tickets/"):
        match = _TICKET_ACTION.fullmatch(path)
        if match and (match[2] in ACTIONS or match[2] == "no-show"):
            return match[2], match[1]
    return None


def _json_bearer(scope: Scope) -> str | None:
    """The bearer token of a JSON request; None sends the request the ordinary way."""
    token = None
    json_body = False
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and 0 < len(credentials) <= 200:
                token = credentials.strip()
        elif name == b"content-type":
            json_body = value.split(b";")[0].strip().lower() == b"application/json"
    return token if json_body else None


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request's body and whether it was read whole (False: too large or the client left)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            return b"".join(chunks), False
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that first gives back what was read (to hand the request on unchanged)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}] if body else []

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


def _serve(state: Any, token: str, kind: str, ticket_id: str | None, request: Any) -> Any:
    """In the pool: the call in a session (and transaction) of its own."""
    with state.store.session() as session:
        return _serve_in(session, state, token, kind, ticket_id, request)


def _serve_in(session: Session, state: Any, token: str, kind: str, ticket_id: str | None, request: Any) -> Any:
    """The device of the token, then the service: (status, answer), or _DELEGATE."""
    tokens = state.tokens
    token_hash = hash_token(token)
    who: Principal | None = tokens.get(token_hash)
    if who is None:
        stamp = tokens.stamp()
        own_cursor = not prepared.active(session)
        if own_cursor:
            prepared.begin(session)
        try:
            who = lookup_hash(session, token_hash)
        finally:
            if own_cursor:
                prepared.end(session)
        if own_cursor:  # (in a group commit the read is part of the batch's transaction)
            # The read ends with a COMMIT, not the ROLLBACK the service would start with: psycopg
            # forgets every statement prepared on a connection that rolls back (DEALLOCATE ALL),
            # and PostgreSQL plans them all again (a token looked up every few seconds per window
            # kept the central planning call-next's candidates, 3-18 ms each time).
            session.commit()
        if who is None:
            return _DELEGATE
        tokens.put(token_hash, who, stamp)
    actor = queue_service.Actor(window=who.window_number, clerk=request.clerk or who.name)
    try:
        if kind == "call-next":
            ticket = queue_service.call_next(session, state.queue, actor, request.categories,
                                             request.priority_in_row)
            return 200, CallOut.model_validate({"ticket": ticket}).model_dump_json().encode()
        if kind == "no-show":
            done = queue_service.no_show(session, state.queue, actor, ticket_id, request.no_show_calls)
        else:
            done = ACTIONS[kind](session, state.queue, actor, ticket_id)
        return 200, TicketOut.model_validate(done).model_dump_json().encode()
    except QueueError as exc:
        return exc.status, exc.message
    except ValueError as exc:  # a rule of core.queue
        return 409, str(exc)
    except IntegrityError as exc:
        log.warning("integrity error: %s", exc)
        return 409, CONFLICT
    except (OperationalError, PoolTimeout) as exc:
        log.error("database unavailable: %s", exc)
        return 503, DATABASE_DOWN
    except Exception:
        log.exception("unexpected error in %s", kind)
        return 500, INTERNAL


class GroupCommit:
    """SQLite: one writer thread that takes the calls waiting for it (up to `most`) and runs
    them in one transaction, each in a savepoint of its own (`queue_store.batch_transaction`),
    committed once: one fsync for the batch instead of one per call, the way databases commit
    groups. A call is answered only after that commit; if it fails, every call of the batch is
    answered 503 and none of them happened. The thread ends after `idle_s` without work and
    starts again with the next call."""

    def __init__(self, state: Any, most: int = 32, idle_s: float = 10.0) -> None:
        self.state = state
        self.most = most
        self.idle_s = idle_s
        self._queue: queue.SimpleQueue[tuple[Callable[[Any], None], tuple[Any, ...]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.batches = 0  # for tests and diagnostics

    def submit(self, deliver: Callable[[Any], None], *job: Any) -> None:
        """Queue a call; `deliver(answer)` is called from the writer thread after the commit."""
        with self._lock:
            self._queue.put((deliver, job))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="queue-writer", daemon=True)
                self._thread.start()

    async def call(self, *job: Any) -> Any:
        """From the event loop: the call's answer (an asyncio future resolved by the writer
        thread, without a concurrent.futures.Future and its condition variable per call)."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()

        def resolve(value: Any) -> None:
            if not answer.done():  # the client may have gone meanwhile
                answer.set_result(value)

        self.submit(lambda value: loop.call_soon_threadsafe(resolve, value), *job)
        return await answer

    def _run(self) -> None:
        while True:
            try:
                batch = [self._queue.get(timeout=self.idle_s)]
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            while len(batch) < self.most:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[tuple[Callable[[Any], None], tuple[Any, ...]]]) -> None:
        answers: list[Any] = []
        try:
            with self.state.store.session() as session, qs.batch_transaction(session):
                for _deliver, job in batch:
                    answers.append(_serve_in(session, self.state, *job))
        except Exception as exc:  # the commit (or the transaction itself) failed: nothing happened
            log.error("queue batch of %d calls not committed: %s", len(batch), exc)
            answers = [a if a is _DELEGATE else (503, DATABASE_DOWN) for a in answers]
            answers += [(503, DATABASE_DOWN)] * (len(batch) - len(answers))
        self.batches += 1
        for (deliver, _job), answer in zip(batch, answers, strict=True):
            deliver(answer)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
