"""Voice announcements: queued, in order, never overlapping; text → clips; the mock TTS engine."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QObject, Signal
from pytestqt.qtbot import QtBot

from hallclient.core.spoken import CLIP_KEYS, ClipsMissing, clip_sequence, spoken_text
from hallclient.paths import resource_path
from hallclient.ui.announcement_sinks import (
    AnnouncerConfig,
    ClipSink,
    RecordingSink,
    TtsSink,
    find_mandarin_voice,
    make_sink,
)
from hallclient.ui.announcer import Announcer

SOUNDS = resource_path("sounds")


def _non_overlapping(sink: RecordingSink) -> None:
    assert sink.overlaps == 0
    for before, after in zip(sink.records, sink.records[1:], strict=False):
        assert before.ended is not None
        assert after.started >= before.ended, (before, after)


# --- the queue --------------------------------------------------------------------------------


def test_three_announcements_play_in_order_never_overlapping(qtbot: QtBot) -> None:
    sink = RecordingSink(duration_ms=80)
    announcer = Announcer(sink, gap_ms=20)
    shown: list[str] = []
    announcer.announced.connect(shown.append)
    texts = ["请A001号到3号窗口办理", "请B002号到5号窗口办理", "请C003号到12号窗口办理"]
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        for text in texts:
            announcer.announce(text)
        assert announcer.current() == texts[0]  # starts at once
        assert announcer.pending() == texts[1:]
        assert announcer.is_busy()
    assert [r.text for r in sink.records] == texts
    assert shown == texts
    _non_overlapping(sink)
    assert all(r.ended is not None and r.ended - r.started >= 0.07 for r in sink.records)
    assert announcer.pending() == [] and announcer.current() is None
    assert not announcer.is_busy()


def test_a_recall_while_one_is_playing_waits_its_turn(qtbot: QtBot) -> None:
    sink = RecordingSink(duration_ms=300)
    announcer = Announcer(sink, gap_ms=0)
    announcer.announce("请A001号到3号窗口办理")
    qtbot.wait(20)
    assert sink.speaking
    announcer.announce("请A001号到3号窗口办理")  # 重呼 while the first call still plays
    assert announcer.pending() == ["请A001号到3号窗口办理"]
    assert len(sink.records) == 1
    qtbot.waitUntil(lambda: len(sink.records) == 2 and not announcer.is_busy(), timeout=5000)
    _non_overlapping(sink)


def test_announcements_made_from_the_announced_signal_are_queued(qtbot: QtBot) -> None:
    sink = RecordingSink(duration_ms=30)
    announcer = Announcer(sink, gap_ms=0)
    announcer.announced.connect(
        lambda text: announcer.announce("请B001号到2号窗口办理") if text.startswith("请A") else None
    )
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        announcer.announce("请A001号到1号窗口办理")
    assert [r.text for r in sink.records] == ["请A001号到1号窗口办理", "请B001号到2号窗口办理"]
    _non_overlapping(sink)


def test_clear_pending_never_cuts_the_one_playing(qtbot: QtBot) -> None:
    sink = RecordingSink(duration_ms=100)
    announcer = Announcer(sink, gap_ms=0)
    for n in range(1, 4):
        announcer.announce(f"请A00{n}号到1号窗口办理")
    announcer.clear_pending()
    assert announcer.pending() == []
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        pass
    assert [r.text for r in sink.records] == ["请A001号到1号窗口办理"]
    assert sink.records[0].ended is not None and sink.records[0].ended - sink.records[0].started >= 0.09


def test_blank_text_is_ignored() -> None:
    sink = RecordingSink()
    announcer = Announcer(sink)
    announcer.announce("   ")
    assert not announcer.is_busy() and sink.records == []


class _SilentSink(QObject):
    """Never reports the end of what it says (a hung engine)."""

    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.spoken: list[str] = []
        self.stops = 0

    def speak(self, text: str) -> None:
        self.spoken.append(text)

    def stop(self) -> None:
        self.stops += 1


class _InstantSink(_SilentSink):
    """Finishes inside speak() (a sink that cannot play)."""

    def speak(self, text: str) -> None:
        super().speak(text)
        self.finished.emit()


def test_a_hung_sink_is_stopped_and_the_queue_moves_on(qtbot: QtBot) -> None:
    sink = _SilentSink()
    announcer = Announcer(sink, gap_ms=0, max_duration_ms=100)
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        announcer.announce("一")
        announcer.announce("二")
    assert sink.spoken == ["一", "二"]
    assert sink.stops == 2


def test_a_sink_finishing_inside_speak_does_not_reenter(qtbot: QtBot) -> None:
    sink = _InstantSink()
    announcer = Announcer(sink, gap_ms=0)
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        announcer.announce("一")
        announcer.announce("二")
        announcer.announce("三")
        assert sink.spoken == ["一"]  # the rest wait for the event loop
    assert sink.spoken == ["一", "二", "三"]


def test_a_new_sink_takes_over_from_the_next_announcement(qtbot: QtBot) -> None:
    old, new = RecordingSink(duration_ms=100), RecordingSink(duration_ms=20)
    announcer = Announcer(old, gap_ms=0)
    announcer.announce("一")
    announcer.announce("二")
    announcer.sink = new
    with qtbot.waitSignal(announcer.idle, timeout=5000):
        pass
    assert [r.text for r in old.records] == ["一"]
    assert [r.text for r in new.records] == ["二"]
    assert new.records[0].started >= old.records[0].ended  # type: ignore[operator]


# --- text → clips -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clips"),
    [
        ("请A001号到3号窗口办理", ["qing", "A", "0", "0", "1", "hao_dao", "3", "hao_chuangkou_banli"]),
        # Window numbers are read as numbers (十二, 二十, 二十一), ticket digits one by one.
        ("请A001号到12号窗口办理", ["qing", "A", "0", "0", "1", "hao_dao", "shi", "2", "hao_chuangkou_banli"]),
        ("请B010号到10号窗口办理", ["qing", "B", "0", "1", "0", "hao_dao", "shi", "hao_chuangkou_banli"]),
        ("请C120号到20号窗口办理", ["qing", "C", "1", "2", "0", "hao_dao", "2", "shi", "hao_chuangkou_banli"]),
        ("请D999号到21号窗口办理", ["qing", "D", "9", "9", "9", "hao_dao", "2", "shi", "1", "hao_chuangkou_banli"]),
        ("请E1000号到99号窗口办理", ["qing", "E", "1", "0", "0", "0", "hao_dao", "9", "shi", "9", "hao_chuangkou_banli"]),
        # A hyphen is silent; a prefix with a digit is spelled.
        ("请W3-001号到5号窗口办理", ["qing", "W", "3", "0", "0", "1", "hao_dao", "5", "hao_chuangkou_banli"]),
        # Window "05" or "100" (not 1–99 written plainly): digit by digit.
        ("请A001号到05号窗口办理", ["qing", "A", "0", "0", "1", "hao_dao", "0", "5", "hao_chuangkou_banli"]),
        ("请A001号到100号窗口办理", ["qing", "A", "0", "0", "1", "hao_dao", "1", "0", "0", "hao_chuangkou_banli"]),
        # Lower case letters, another template, a comma (a pause), Chinese numerals.
        ("请a7号到3号窗口办理", ["qing", "A", "7", "hao_dao", "3", "hao_chuangkou_banli"]),
        ("B012号，请到十二号窗口", ["B", "0", "1", "2", "hao", "pause", "qing", "dao", "shi", "2", "hao", "chuangkou"]),
    ],
)
def test_clip_sequence(text: str, clips: list[str]) -> None:
    assert clip_sequence(text) == clips


def test_text_without_clips_is_refused_in_chinese() -> None:
    with pytest.raises(ClipsMissing, match="没有这些字：取件"):
        clip_sequence("请A001号到3号窗口取件")


def test_spoken_text_for_tts_reads_like_the_clips() -> None:
    assert spoken_text("请A001号到12号窗口办理") == "请A零零一号到十二号窗口办理"
    assert spoken_text("请W3-001号到20号窗口办理") == "请W三零零一号到二十号窗口办理"
    assert spoken_text("请A001号到3号窗口取件") == "请A零零一号到三号窗口取件"  # TTS reads anything


# --- the clip set and ClipSink ------------------------------------------------------------------


def test_the_shipped_clip_set_is_complete_small_and_16k_mono() -> None:
    total = 0
    for key in CLIP_KEYS:
        path = SOUNDS / f"{key}.wav"
        with wave.open(str(path), "rb") as clip:
            assert (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) == (1, 2, 16000)
            assert 0.15 < clip.getnframes() / 16000 < 2.5, key
        total += path.stat().st_size
    assert total < 2 * 1024 * 1024
    assert (SOUNDS / "README.md").is_file() and (SOUNDS / "make_clips.sh").is_file()


def test_clip_sink_joins_the_clips_of_a_text() -> None:
    sink = ClipSink()
    assert sink.available and sink.can_speak("请A001号到12号窗口办理")
    assert not sink.can_speak("请A001号到3号窗口取件")
    data, length_ms = sink.render("请A001号到12号窗口办理")
    expected_frames = 0
    for key in clip_sequence("请A001号到12号窗口办理"):
        with wave.open(str(SOUNDS / f"{key}.wav"), "rb") as clip:
            expected_frames += clip.getnframes()
    with wave.open(io.BytesIO(data), "rb") as joined:
        assert joined.getnframes() == expected_frames
        assert joined.getframerate() == 16000
    assert abs(length_ms - expected_frames * 1000 // 16000) <= 1
    assert 3000 < length_ms < 8000


def test_clip_sink_without_clips_is_unavailable_and_still_finishes(qtbot: QtBot, tmp_path: Path) -> None:
    sink = ClipSink(tmp_path)
    assert not sink.available
    assert "语音片段不全" in sink.unavailable_reason
    with qtbot.waitSignal(sink.finished, timeout=2000):
        sink.speak("请A001号到3号窗口办理")


def test_clip_sink_plays_and_finishes(qtbot: QtBot) -> None:
    """Played through QAudioSink when there is an audio device; without one each is skipped at once."""
    sink = ClipSink()
    announcer = Announcer(sink, gap_ms=0)
    with qtbot.waitSignal(announcer.idle, timeout=10_000):
        announcer.announce("A1")
        announcer.announce("请A001号到3号窗口取件")  # cannot be said: skipped, not stuck
        announcer.announce("-")  # nothing to say
        announcer.announce("B2")


def test_a_sink_that_never_reports_its_end_is_finished_by_its_guard(qtbot: QtBot) -> None:
    """E.g. the sound server dies while a clip plays and the audio output reports nothing."""
    sink = ClipSink()
    ends: list[int] = []
    sink.finished.connect(lambda: ends.append(1))
    sink._begin(50)  # a speak whose end never comes
    with qtbot.waitSignal(sink.finished, timeout=2000):
        pass
    sink._done()  # a late end report after the guard: ignored
    qtbot.wait(20)
    assert ends == [1]


# --- text to speech ------------------------------------------------------------------------------


def _mock_engine_or_skip() -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    if "mock" not in QTextToSpeech.availableEngines():
        pytest.skip("the mock text-to-speech engine is not installed with this PySide6")


def test_mock_tts_engine_speaks_the_queue_in_order(qtbot: QtBot) -> None:
    _mock_engine_or_skip()
    sink = TtsSink("mock", require_mandarin=False)
    assert sink.available, sink.unavailable_reason
    announcer = Announcer(sink, gap_ms=0)
    shown: list[str] = []
    announcer.announced.connect(shown.append)
    texts = ["请A001号到3号窗口办理", "请A001号到3号窗口办理", "请B002号到4号窗口办理"]
    with qtbot.waitSignal(announcer.idle, timeout=15_000):
        for text in texts:
            announcer.announce(text)
    assert shown == texts


def test_mock_tts_engine_has_no_mandarin_voice_so_auto_uses_clips(qtbot: QtBot) -> None:
    _mock_engine_or_skip()
    tts = TtsSink("mock")
    assert not tts.available
    assert tts.unavailable_reason == "语音合成引擎没有普通话语音"
    with qtbot.waitSignal(tts.finished, timeout=2000):
        tts.speak("请A001号到3号窗口办理")  # unavailable: silent, but the queue goes on
    assert isinstance(make_sink(AnnouncerConfig(tts_engine="mock")), ClipSink)
    assert isinstance(make_sink(AnnouncerConfig(sink="tts", tts_engine="mock")), TtsSink)
    assert isinstance(make_sink(AnnouncerConfig(sink="clips")), ClipSink)
    with pytest.raises(ValueError, match="未知的播报方式"):
        make_sink(AnnouncerConfig(sink="loud"))  # type: ignore[arg-type]


def test_a_tts_voice_can_be_chosen_by_name() -> None:
    _mock_engine_or_skip()
    assert TtsSink("mock", "Anne").voice_name == "Anne"
    missing = TtsSink("mock", "小燕")
    assert missing.unavailable_reason == "语音合成引擎中没有名为“小燕”的语音"


class _FakeVoice:
    def __init__(self, name: str, locale: str = "C") -> None:
        self._name, self._locale = name, QLocale(locale)

    def name(self) -> str:
        return self._name

    def locale(self) -> QLocale:
        return self._locale


@pytest.mark.parametrize(
    ("voices", "chosen"),
    [
        # espeak-ng under speechd: everything under locale C, chosen by name.
        (["English (Great Britain)", "Chinese (Mandarin, latin as English)", "Chinese (Mandarin, latin as Pinyin)"], "Chinese (Mandarin, latin as Pinyin)"),
        (["en", "cmn", "cmn-latn-pinyin", "yue"], "cmn-latn-pinyin"),
        (["en", "Chinese_(Mandarin,_latin_as_English)", "Chinese_(Cantonese)"], None),
        (["Xiaoyue (zh-CN)"], "Xiaoyue (zh-CN)"),
    ],
)
def test_mandarin_voice_by_name(voices: list[str], chosen: str | None) -> None:
    found = find_mandarin_voice([_FakeVoice(v) for v in voices])  # type: ignore[list-item]
    assert (found.name() if found else None) == chosen


def test_mandarin_voice_by_locale() -> None:
    voices = [_FakeVoice("Tracy", "zh_HK"), _FakeVoice("David", "en_US"), _FakeVoice("Huihui", "zh_CN")]
    found = find_mandarin_voice(voices)  # type: ignore[arg-type]
    assert found is not None and found.name() == "Huihui"
    assert find_mandarin_voice([_FakeVoice("Tracy", "zh_HK")]) is None  # type: ignore[list-item]
