"""Routes: what the central knows of the calling window, so a window can tell a central restored
from an older backup (hallclient.sync.reconcile).

* `GET /windows/me`: the central's epoch (its feed id: a random id made with the database), how many
  cases and case events this window pushed that the central holds, and the highest case number
  of each year it holds for this window. A window that has more confirmed than the central
  holds (or sees another epoch) asks which ones are missing, and pushes them again; its case
  counters are raised to the central's highest numbers so no official number is issued twice.
* `POST /windows/me/missing`: of the UUIDs sent (at most 1,000 per call), those the central
  does not hold.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import func, select

from hallclient.central.deps import PrincipalDep, SessionDep
from hallclient.central.intake import CASES, EVENTS

router = APIRouter(prefix="/windows", tags=["windows"])
UuidText = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]


class WindowMe(BaseModel):
    window: str
    epoch: str = Field(description="this central database's id: another value means another database")
    cases: int = Field(description="cases pushed by this window that the central holds")
    case_events: int
    max_case_numbers: dict[str, str] = Field(description="year → the highest case number of this window")


class MissingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    kind: Literal["case", "case_event"]
    uuids: Annotated[list[UuidText], Field(max_length=1000)]


class MissingOut(BaseModel):
    missing: list[str]


@router.get("/me", response_model=WindowMe, summary="What the central holds of this window (restore check)")
def window_me(request: Request, session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    window = who.window_number
    epoch = request.app.state.feed_id  # made once with the database (a backup restored keeps it)
    cases = session.execute(select(func.count()).select_from(CASES).where(CASES.c.pushed_by == window)).scalar_one()
    events = session.execute(select(func.count()).select_from(EVENTS).where(EVENTS.c.pushed_by == window)).scalar_one()
    year = func.substr(CASES.c.accepted_on, 1, 4)
    highest = session.execute(select(year, func.max(CASES.c.case_number))
                              .where(CASES.c.window_number == window).group_by(year))
    return {"window": window, "epoch": epoch, "cases": int(cases), "case_events": int(events),
            "max_case_numbers": {str(y): str(n) for y, n in highest if y and n}}


@router.post("/me/missing", response_model=MissingOut, summary="Which of these records the central lacks")
def missing(body: MissingIn, session: SessionDep, _who: PrincipalDep) -> dict[str, Any]:
    table = CASES if body.kind == "case" else EVENTS
    wanted = list(dict.fromkeys(body.uuids))
    known = set(session.execute(select(table.c.uuid).where(table.c.uuid.in_(wanted))).scalars())
    return {"missing": [u for u in wanted if u not in known]}
