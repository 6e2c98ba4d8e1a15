"""How an announcement is spoken: text → tokens → clip keys, and the text a TTS engine reads.

Ticket numbers are read letter by letter and digit by digit (A001 → A 零 零 一), the window number
(a digit run right before 号窗口, 1–99) as a number (12 → 十二); hyphens and spaces are silent
(W3-001 → W 三 零 零 一), commas a short pause. Pure: no Qt.
"""

from __future__ import annotations

from typing import NamedTuple

# Phrase → clip key, matched longest first. The default template needs only the first three.
CLIP_PHRASES: dict[str, str] = {
    "号窗口办理": "hao_chuangkou_banli",
    "号到": "hao_dao",
    "请": "qing",
    "窗口": "chuangkou",
    "办理": "banli",
    "号": "hao",
    "到": "dao",
}
CHINESE_DIGITS = "零一二三四五六七八九"
TEN = "shi"  # clip key of 十
PAUSE = "pause"  # a short silence, made in code
DIGIT_KEYS = tuple(str(d) for d in range(10))
LETTER_KEYS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))
CLIP_KEYS: tuple[str, ...] = (*CLIP_PHRASES.values(), TEN, *DIGIT_KEYS, *LETTER_KEYS)
_SILENT = frozenset(" \u3000-－—_·")
_PAUSES = frozenset("，,。.！!、；;：:")
_WINDOW_SUFFIX = "号窗口"


class SpokenToken(NamedTuple):
    key: str | None  # clip key; None: no clip for it (a TTS engine reads `text` as it is)
    text: str  # what a TTS engine is given for it


class ClipsMissing(ValueError):
    """The text has characters the clip set cannot say."""


def _cardinal(number: int) -> list[str]:
    """1..99 as clip keys: 3 → [3], 10 → [十], 12 → [十, 2], 20 → [2, 十], 21 → [2, 十, 1]."""
    tens, units = divmod(number, 10)
    keys = [str(tens)] if tens > 1 else []
    if tens:
        keys.append(TEN)
    if units or not tens:
        keys.append(str(units))
    return keys


def _token(key: str) -> SpokenToken:
    if key in DIGIT_KEYS:
        return SpokenToken(key, CHINESE_DIGITS[int(key)])
    if key == TEN:
        return SpokenToken(key, "十")
    return SpokenToken(key, key)


def spoken_tokens(text: str) -> list[SpokenToken]:
    """How `text` is read, one token per clip."""
    phrases = sorted(CLIP_PHRASES, key=len, reverse=True)
    tokens: list[SpokenToken] = []
    i = 0
    while i < len(text):
        char = text[i]
        phrase = next((p for p in phrases if text.startswith(p, i)), None)
        if phrase:
            tokens.append(SpokenToken(CLIP_PHRASES[phrase], phrase))
            i += len(phrase)
        elif char.isascii() and char.isalpha():
            tokens.append(_token(char.upper()))
            i += 1
        elif char.isascii() and char.isdigit():
            end = i
            while end < len(text) and text[end].isascii() and text[end].isdigit():
                end += 1
            run = text[i:end]
            part_of_code = i > 0 and text[i - 1].isascii() and text[i - 1].isalnum()
            if (
                text.startswith(_WINDOW_SUFFIX, end)
                and len(run) <= 2
                and run[0] != "0"
                and not part_of_code
            ):
                tokens.extend(_token(k) for k in _cardinal(int(run)))
            else:
                tokens.extend(_token(d) for d in run)
            i = end
        elif char in CHINESE_DIGITS:
            tokens.append(_token(str(CHINESE_DIGITS.index(char))))
            i += 1
        elif char == "十":
            tokens.append(_token(TEN))
            i += 1
        elif char in _PAUSES:
            tokens.append(SpokenToken(PAUSE, "，"))
            i += 1
        elif char in _SILENT:
            i += 1
        else:
            tokens.append(SpokenToken(None, char))
            i += 1
    return tokens


def clip_sequence(text: str) -> list[str]:
    """The clip keys that say `text`: "请A001号到3号窗口办理" → [qing, A, 0, 0, 1, hao_dao, 3, …]."""
    tokens = spoken_tokens(text)
    missing = "".join(dict.fromkeys(t.text for t in tokens if t.key is None))
    if missing:
        raise ClipsMissing(f"语音片段中没有这些字：{missing}（请改用语音合成，或补充语音片段）")
    return [t.key for t in tokens if t.key is not None]


def spoken_text(text: str) -> str:
    """The text given to a TTS engine, read as the clips read it: "A001号到12号" → "A零零一号到十二号"."""
    return "".join(t.text for t in spoken_tokens(text))
