"""The QR rating page: /rate/{token}, a plain page readable on a phone, in Chinese.

The token printed on a case's notices (random, never the case number) names the case; the
page accepts one rating per case, and says so when the case already has one. Nothing on it
hints at a level; the applicant may leave a phone for the callback of a 差评.
"""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import text

from hallclient.central import records_store
from hallclient.central.deps import SessionDep
from hallclient.core.evaluation import (
    BAD_LEVELS,
    DEFAULT_BAD_REASONS,
    INDICATORS,
    LEVEL_LABELS,
    Level,
)

router = APIRouter(include_in_schema=False)
TokenPath = Annotated[str, Path(min_length=8, max_length=48, pattern=r"^[A-Za-z0-9_-]+$")]

STYLE = """body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:0;padding:16px;
font-size:18px;background:#f6f7f9;color:#222}h1{font-size:22px}fieldset{border:1px solid #ccd;border-radius:8px;
margin:12px 0;padding:8px 12px;background:#fff}label{display:block;padding:10px 4px;font-size:19px}
input[type=radio],input[type=checkbox]{width:22px;height:22px;vertical-align:middle;margin-right:8px}
textarea,input[type=tel]{width:100%;font-size:18px;box-sizing:border-box;padding:8px}
button{width:100%;font-size:22px;padding:14px;border:0;border-radius:8px;background:#1f6fd1;color:#fff;margin-top:12px}
.note{color:#555;font-size:15px}"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{html.escape(title)}</title>
<style>{STYLE}</style></head><body>{body}</body></html>""", status_code=status,
                        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})


def _levels(name: str) -> str:
    return "".join(f'<label><input type="radio" name="{name}" value="{lv.value}">{LEVEL_LABELS[lv]}</label>'
                   for lv in Level)


def _already() -> HTMLResponse:
    return _page("已评价", "<h1>感谢您的评价</h1><p>本次办件已有评价，每次服务只能评价一次。</p>")


@router.get("/rate/{token}", response_class=HTMLResponse)
def rate_page(token: TokenPath, session: SessionDep) -> HTMLResponse:
    case = records_store.case_for_token(session, token)
    if case is None:
        return _page("无法评价", "<h1>无法评价</h1><p>没有找到这张通知书对应的办件，请核对二维码。</p>", 404)
    rated = session.execute(text(
        "SELECT level FROM central_ratings WHERE service_key = :k"), {"k": f"case:{case['uuid']}"}).first()
    if rated is not None and rated.level is not None:
        return _already()
    items = "、".join(html.escape(n) for n in case["item_names"])
    indicators = "".join(
        f'<fieldset><legend>{label}（选填）</legend>{_levels("ind_" + key)}</fieldset>'
        for key, label in INDICATORS.items() if key != "overall")
    reasons = "".join(f'<label><input type="checkbox" name="reason" value="{html.escape(r)}">{html.escape(r)}</label>'
                      for r in DEFAULT_BAD_REASONS)
    body = f"""<h1>政务服务评价</h1><p>办件：{html.escape(case['case_number'])}<br>事项：{items}</p>
<form method="post"><fieldset><legend>总体评价</legend>{_levels("level")}</fieldset>{indicators}
<fieldset><legend>如不满意，请选择原因（可多选）</legend>{reasons}</fieldset>
<fieldset><legend>意见建议（选填）</legend><textarea name="comment" rows="3" maxlength="500"></textarea></fieldset>
<fieldset><legend>回访电话（选填，仅用于差评回访）</legend><input type="tel" name="phone" maxlength="11"></fieldset>
<button type="submit">提交评价</button><p class="note">您的评价将直接提交，工作人员看不到您的联系方式。</p></form>"""
    return _page("政务服务评价", body)


class _Form:
    def __init__(self, fields: dict[str, list[str]]) -> None:
        self._fields = fields

    def get(self, name: str) -> str | None:
        values = self._fields.get(name)
        return values[0] if values else None

    def getlist(self, name: str) -> list[str]:
        return self._fields.get(name, [])


@router.post("/rate/{token}", response_class=HTMLResponse)
async def rate_submit(token: TokenPath, request: Request, session: SessionDep) -> HTMLResponse:
    # A plain urlencoded form (the page's own), parsed by the standard library.
    body = (await request.body())[:20_000].decode("utf-8", "replace")
    fields = parse_qs(body, keep_blank_values=False, max_num_fields=50)
    form = _Form(fields)
    case = records_store.case_for_token(session, token)
    if case is None:
        return _page("无法评价", "<h1>无法评价</h1><p>没有找到对应的办件。</p>", 404)
    level = str(form.get("level") or "")
    if level not in {lv.value for lv in Level}:
        return _page("请选择评价", "<h1>请选择总体评价</h1><p><a href=''>返回</a></p>", 422)
    reasons = [str(r) for r in form.getlist("reason") if str(r) in DEFAULT_BAD_REASONS]
    if Level(level) in BAD_LEVELS and not reasons:
        return _page("请选择原因", "<h1>请选择不满意的原因</h1><p><a href=''>返回</a></p>", 422)
    indicators = {key: str(form.get("ind_" + key)) for key in INDICATORS
                  if str(form.get("ind_" + key) or "") in {lv.value for lv in Level}}
    phone = "".join(ch for ch in str(form.get("phone") or "") if ch.isdigit())[:11]
    data = {"indicators": indicators, "comment": str(form.get("comment") or "")[:500], "reasons": reasons}
    try:
        records_store.upsert_rating(session, request.app.state.cipher.pii,
                                    records_store.qr_rating_row(case, level, data, phone), "qr")
    except records_store.RatingConflict:
        session.rollback()
        return _already()
    session.commit()
    return _page("感谢评价", "<h1>感谢您的评价</h1><p>您的评价已提交。</p>")


