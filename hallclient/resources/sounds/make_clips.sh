#!/bin/sh
# Regenerates the announcement clips in this folder (hallclient/resources/sounds/) with espeak-ng and sox.
#
#   apt-get install -y --no-install-recommends espeak-ng sox
#   sh hallclient/resources/sounds/make_clips.sh
#
# Every clip: espeak-ng's Mandarin voice (cmn-latn-pinyin reads Chinese characters as Mandarin;
# plain "cmn" spells pinyin in English), then sox: 16 kHz, mono, 16-bit PCM WAV, leading and
# trailing silence trimmed, normalised to -1 dBFS, 30 ms of silence before and 60 ms after so
# that clips joined one after another sound like one sentence. No dither (-D): a rebuild with the
# same espeak-ng and sox versions is byte-identical.
# The clip names are the keys used by hallclient.ui.announcer (CLIP_PHRASES, digits, letters).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
voice=cmn-latn-pinyin
speed=150  # words per minute; espeak-ng's default (175) is hurried for a hall

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

clip() {  # clip KEY TEXT
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$2"
    sox -D "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$here/$1.wav" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse \
        gain -n -1 pad 0.03 0.06
}

# Phrases of the default template "请{ticket}号到{window}号窗口办理", and their parts for other
# templates.
clip qing "请"
clip hao_dao "号到"
clip hao_chuangkou_banli "号窗口办理"
clip hao "号"
clip dao "到"
clip chuangkou "窗口"
clip banli "办理"
# Numbers: ticket digits are read one by one (零零一), window numbers up to 99 as numbers (十二).
clip shi "十"
i=0
for d in 零 一 二 三 四 五 六 七 八 九; do
    clip "$i" "$d"
    i=$((i + 1))
done
# Letters (ticket prefixes), read the way the voice reads a capital letter.
for letter in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
    clip "$letter" "$letter"
done
