"""Where announcements are spoken: a Mandarin TTS voice, the shipped WAV clips, or a recorder.

* `TtsSink`: QTextToSpeech with a Mandarin voice. Under speechd the Mandarin voices are listed
  under locale C, so voices are chosen by name; an engine without one is reported unavailable.
* `ClipSink`: the WAV clips of hallclient/resources/sounds/ (made offline by espeak-ng, see its README)
  joined in memory and played as raw PCM through `QAudioSink`. QMediaPlayer is not used: it needs
  QtMultimedia's FFmpeg media backend (20 MB of the bundle), QAudioSink only the platform's audio
  (PulseAudio/PipeWire on Linux, WASAPI on Windows). Without an audio device, or when the device
  refuses the clips' format or fails while playing, the announcement is skipped with a warning
  and `finished` still comes (never a crash, never a stuck queue).
* `RecordingSink`: records what was spoken and when, for tests.
"""

from __future__ import annotations

import io
import logging
import re
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QObject,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices, QtAudio
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

from hallclient.core.spoken import (
    CLIP_KEYS,
    PAUSE,
    ClipsMissing,
    clip_sequence,
    spoken_text,
    spoken_tokens,
)
from hallclient.paths import resource_path

log = logging.getLogger(__name__)




# --- sinks ---------------------------------------------------------------------------------------


class AnnouncementSink(Protocol):
    """Says one text at a time; emits `finished` exactly once per `speak`, also on failure."""

    @property
    def finished(self) -> SignalInstance: ...

    def speak(self, text: str) -> None: ...

    def stop(self) -> None:
        """Silence at once, without emitting `finished` (used when a sink overran its time)."""
        ...


class _GuardedSink(QObject):
    """finished once per speak; a guard timer finishes a speak that never reports its end."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._guard = QTimer(self)
        self._guard.setSingleShot(True)
        self._guard.timeout.connect(self._on_guard)

    def _begin(self, guard_ms: int) -> None:
        self._busy = True
        self._guard.start(guard_ms)

    def _finish_soon(self) -> None:
        """For a speak that cannot play: finish from the event loop, never inside speak()."""
        self._busy = True
        QTimer.singleShot(0, self, self._done)

    @Slot()
    def _done(self) -> None:
        if not self._busy:
            return
        self._busy = False
        self._guard.stop()
        self.finished.emit()

    @Slot()
    def _on_guard(self) -> None:
        log.warning("%s did not report the end of an announcement in time", type(self).__name__)
        self.stop()  # silences the output and clears _busy, so a late end report is ignored
        self.finished.emit()

    def stop(self) -> None:
        self._busy = False
        self._guard.stop()


def _voice_score(voice: QVoice) -> int:
    """How surely a voice speaks Chinese characters in Mandarin (0: not at all).

    espeak-ng under speechd names them "Chinese (Mandarin, latin as Pinyin)" under locale C; its
    "latin as English" variant spells pinyin in English. Windows names them by person
    (Huihui, Yaoyao) with a zh-CN locale. Cantonese (yue, zh-HK, zh-MO) does not count.
    """
    name = voice.name().casefold()
    words = set(re.split(r"[^a-z0-9]+", name))
    if (
        {"cantonese", "yue", "jyutping"} & words
        or "粤" in name
        or "latin as english" in name.replace("_", " ")
    ):
        return 0
    if "pinyin" in words:
        return 4  # espeak-ng's cmn-latn-pinyin: preferred over a bare "cmn"
    if {"mandarin", "cmn"} & words or "普通话" in name:
        return 3
    locale = voice.locale()
    if locale.language() == QLocale.Language.Chinese:
        hong_kong_or_macao = (QLocale.Country.HongKong, QLocale.Country.Macao)
        return 0 if locale.territory() in hong_kong_or_macao else 2
    if {"zh", "chinese"} & words or "中文" in name:
        return 1
    return 0


def find_mandarin_voice(voices: list[QVoice]) -> QVoice | None:
    scored = [(score, -i, v) for i, v in enumerate(voices) if (score := _voice_score(v)) > 0]
    return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None


class TtsSink(_GuardedSink):
    """Speaks with QTextToSpeech; `available` is False (with `unavailable_reason`) without a voice."""

    def __init__(
        self,
        engine: str | None = None,
        voice_name: str | None = None,
        *,
        require_mandarin: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.unavailable_reason = ""
        self._heard_speaking = False
        self._tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
        if self._tts.state() == QTextToSpeech.State.Error:
            self.unavailable_reason = (
                f"语音合成引擎无法启动：{self._tts.errorString() or engine or '默认引擎'}"
            )
            return
        voices = list(self._tts.allVoices(None))
        if voice_name:
            voice = next((v for v in voices if v.name() == voice_name), None)
            if voice is None:
                self.unavailable_reason = f"语音合成引擎中没有名为“{voice_name}”的语音"
                return
        else:
            voice = find_mandarin_voice(voices)
            if voice is None and require_mandarin:
                self.unavailable_reason = "语音合成引擎没有普通话语音"
                return
        if voice is not None:
            self._tts.setVoice(voice)
        self._tts.stateChanged.connect(self._on_state)

    @property
    def available(self) -> bool:
        return not self.unavailable_reason

    @property
    def voice_name(self) -> str:
        return self._tts.voice().name()

    def speak(self, text: str) -> None:
        said = spoken_text(text)
        if not self.available or not said:
            if not self.available:
                log.warning("announcement not spoken: %s", self.unavailable_reason)
            self._finish_soon()
            return
        self._heard_speaking = False
        self._begin(5000 + 600 * len(said))
        self._tts.say(said)

    @Slot(QTextToSpeech.State)
    def _on_state(self, state: QTextToSpeech.State) -> None:
        if state in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing):
            self._heard_speaking = True
        elif state == QTextToSpeech.State.Error:
            log.warning("text to speech failed: %s", self._tts.errorString())
            self._done()
        elif state == QTextToSpeech.State.Ready and self._heard_speaking:
            self._done()

    def stop(self) -> None:
        super().stop()
        if self.available:
            self._tts.stop()


_SAMPLE_FORMATS = {
    1: QAudioFormat.SampleFormat.UInt8,
    2: QAudioFormat.SampleFormat.Int16,
    4: QAudioFormat.SampleFormat.Int32,
}


class ClipSink(_GuardedSink):
    """Joins the clips for a text and plays them as PCM through QAudioSink."""

    PAUSE_MS = 250

    def __init__(
        self, clips_dir: Path | None = None, *, volume: float = 1.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.clips_dir = clips_dir or resource_path("sounds")
        self._volume = volume
        self._clips: dict[str, bytes] = {}
        self._format: tuple[int, int, int] | None = None  # channels, sample width, rate
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None
        missing = [k for k in CLIP_KEYS if not (self.clips_dir / f"{k}.wav").is_file()]
        self.unavailable_reason = (
            f"语音片段不全（{self.clips_dir}），缺少：{'、'.join(missing)}" if missing else ""
        )

    @property
    def available(self) -> bool:
        return not self.unavailable_reason

    def can_speak(self, text: str) -> bool:
        return self.available and all(t.key is not None for t in spoken_tokens(text))

    def _frames(self, key: str) -> bytes:
        if key not in self._clips:
            with wave.open(str(self.clips_dir / f"{key}.wav"), "rb") as clip:
                audio_format = (clip.getnchannels(), clip.getsampwidth(), clip.getframerate())
                if self._format is None:
                    self._format = audio_format
                elif audio_format != self._format:
                    raise ValueError(f"语音片段 {key}.wav 的格式与其他片段不同")
                self._clips[key] = clip.readframes(clip.getnframes())
        return self._clips[key]

    def _pcm(self, text: str) -> tuple[bytes, tuple[int, int, int]]:
        """The joined PCM frames for `text` and their (channels, width, rate)."""
        keys = clip_sequence(text)
        clips = {k: self._frames(k) for k in (*keys, "qing") if k != PAUSE}
        assert self._format is not None  # set by the first clip read
        channels, width, rate = self._format
        clips[PAUSE] = bytes(rate * self.PAUSE_MS // 1000 * width * channels)
        return b"".join(clips[k] for k in keys), self._format

    def render(self, text: str) -> tuple[bytes, int]:
        """The joined WAV for `text` and its length in ms; ClipsMissing for unknown characters."""
        frames, (channels, width, rate) = self._pcm(text)
        out = io.BytesIO()
        with wave.open(out, "wb") as joined:
            joined.setnchannels(channels)
            joined.setsampwidth(width)
            joined.setframerate(rate)
            joined.writeframes(frames)
        return out.getvalue(), len(frames) * 1000 // (rate * width * channels)

    def speak(self, text: str) -> None:
        try:
            if not self.available:
                raise ClipsMissing(self.unavailable_reason)
            frames, (channels, width, rate) = self._pcm(text)
        except (ClipsMissing, OSError, wave.Error, ValueError) as error:
            log.warning("announcement %r not played: %s", text, error)
            self._finish_soon()
            return
        length_ms = len(frames) * 1000 // (rate * width * channels)
        if length_ms == 0:  # nothing to say (only separators)
            self._finish_soon()
            return
        self._release()
        audio_format = QAudioFormat()
        audio_format.setChannelCount(channels)
        audio_format.setSampleRate(rate)
        audio_format.setSampleFormat(_SAMPLE_FORMATS.get(width, QAudioFormat.SampleFormat.Unknown))
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull() or not device.isFormatSupported(audio_format):
            reason = "没有音频输出设备" if device.isNull() else f"音频设备“{device.description()}”不支持语音片段的格式"
            log.warning("announcement %r not played: %s", text, reason)
            self._finish_soon()
            return
        self._sink = QAudioSink(device, audio_format, self)
        self._sink.setVolume(self._volume)
        self._sink.stateChanged.connect(self._on_state)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(frames))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        # The device's own latency comes on top of the clip's length.
        self._begin(length_ms + 3000)
        self._sink.start(self._buffer)
        if self._sink is not None and self._sink.error() != QtAudio.Error.NoError:
            log.warning("announcement %r not played: audio output error %s", text, self._sink.error().name)
            self._release()
            self._finish_soon()

    @Slot(QtAudio.State)
    def _on_state(self, state: QtAudio.State) -> None:
        sink = self._sink
        if sink is None:  # a sink being released reports its stop
            return
        if state == QtAudio.State.IdleState:  # every frame played
            self._release()
            self._done()
        elif state == QtAudio.State.StoppedState and sink.error() != QtAudio.Error.NoError:
            log.warning("announcement playback failed: audio output error %s", sink.error().name)
            self._release()
            self._done()

    def _release(self) -> None:
        sink, buffer, self._sink, self._buffer = self._sink, self._buffer, None, None
        if sink is not None:
            sink.stateChanged.disconnect(self._on_state)
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.deleteLater()

    def stop(self) -> None:
        super().stop()
        self._release()


class SpokenRecord(NamedTuple):
    text: str
    started: float
    ended: float | None


class RecordingSink(QObject):
    """For tests: records each text with start and end times; finishes after `duration_ms`."""

    finished = Signal()

    def __init__(
        self,
        duration_ms: int | Callable[[str], int] = 50,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._duration = duration_ms
        self._clock = clock
        self.records: list[SpokenRecord] = []
        self.overlaps = 0  # speak() calls while still speaking: must stay 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may end 5% early
        self._timer.timeout.connect(self._end)

    @property
    def speaking(self) -> bool:
        return self._timer.isActive()

    def speak(self, text: str) -> None:
        if self.speaking:
            self.overlaps += 1
            self._end()
        self.records.append(SpokenRecord(text, self._clock(), None))
        duration = self._duration(text) if callable(self._duration) else self._duration
        self._timer.start(duration)

    @Slot()
    def _end(self) -> None:
        self._timer.stop()
        text, started, _ = self.records[-1]
        self.records[-1] = SpokenRecord(text, started, self._clock())
        self.finished.emit()

    def stop(self) -> None:
        if self.speaking:
            self._timer.stop()
            text, started, _ = self.records[-1]
            self.records[-1] = SpokenRecord(text, started, self._clock())


# --- choosing a sink -----------------------------------------------------------------------------

SinkMode = Literal["auto", "tts", "clips"]


@dataclass(frozen=True)
class AnnouncerConfig:
    """auto: TTS with a Mandarin voice if there is one, else the clips; tts / clips: only that."""

    sink: SinkMode = "auto"
    tts_engine: str | None = (
        None  # None: Qt's default engine (speechd on Linux, SAPI/WinRT on Windows)
    )
    tts_voice: str | None = None  # a voice name; None: the best Mandarin voice found
    clips_dir: Path | None = None  # None: hallclient/resources/sounds
    volume: float = 1.0


def make_sink(config: AnnouncerConfig, parent: QObject | None = None) -> TtsSink | ClipSink:
    """The sink the configuration asks for; `available`/`unavailable_reason` tell if it can speak."""
    if config.sink in ("auto", "tts"):
        tts = TtsSink(config.tts_engine, config.tts_voice, parent=parent)
        if tts.available or config.sink == "tts":
            return tts
        log.info("no Mandarin text-to-speech (%s): announcing with clips", tts.unavailable_reason)
        tts.deleteLater()
    elif config.sink != "clips":
        raise ValueError(f"未知的播报方式：{config.sink}（可选 auto、tts、clips）")
    return ClipSink(config.clips_dir, volume=config.volume, parent=parent)
