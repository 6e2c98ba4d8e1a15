"""How the central answers: JSON with Chinese kept readable, and {"message", "detail"} errors."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


class SafeJSONResponse(JSONResponse):
    """Chinese stays readable; text that cannot be UTF-8 (a lone surrogate echoed back) is escaped."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


# The answers to the database's own failures, wherever they surface (app.py, queue_fast_path.py).
CONFLICT = "与同时进行的另一请求冲突，请重试"
DATABASE_DOWN = "中心数据库暂时不可用，请稍后重试"
INTERNAL = "中心服务内部错误，请联系管理员"


def error(status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return SafeJSONResponse({"message": message, "detail": detail}, status_code=status, headers=headers)
