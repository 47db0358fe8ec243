#!/usr/bin/env bash
# Builds the example episode audio and its WebVTT transcript from script.txt.
#
# The audio is a short synthesised summary made for the otpress example site.
# It is NOT the original podcast recording, and no real person's voice is used:
# every line is read by a synthetic narrator (espeak-ng, British English voice).
#
# Input : docs/example-audio/script.txt, one cue per line as "Speaker|text".
# Output: content/episodes/its-all-about-people-72/audio.mp3
#         content/episodes/its-all-about-people-72/transcript.vtt
#
# Needs (Debian): espeak-ng, sox (sox and soxi), lame.
#   apt-get install -y espeak-ng sox lame
#
# Timing: each line is synthesised to its own WAV file and its exact length is
# read as a sample count (soxi -s). A fixed pause of PAUSE_MS follows every cue,
# including the last one. Cue times are computed from the cumulative sample
# counts, so they match the audio exactly (to the millisecond). Each cue runs
# from the start of its speech to the start of the next cue, i.e. it includes
# its own trailing pause, so the cues cover the recording without overlapping.
# The last cue ends with its speech; the final pause is a short silent tail, so
# the last cue never ends after the MP3 (whose decoded length can differ from
# the WAV by a few samples because of MP3 framing).
#
# The result is deterministic for the same versions of espeak-ng, sox and lame
# (sox runs with -D, no dither, and -R, repeatable mode).
set -euo pipefail

export LC_ALL=C.UTF-8   # character (not byte) counts for line wrapping

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
script="$here/script.txt"
outdir="$root/content/episodes/its-all-about-people-72"
mp3="$outdir/audio.mp3"
vtt="$outdir/transcript.vtt"

VOICE="en-gb"       # espeak-ng voice for the Narrator
SPEED=150           # words per minute, steady for every cue
PITCH=50            # espeak-ng default pitch
PAUSE_MS=300        # silence after each cue (after the last, a silent tail)
MAXLINE=65          # maximum characters per WebVTT cue line (voice tag included)
BITRATE=32          # kbit/s, constant bit rate, mono

for tool in espeak-ng sox soxi lame; do
  command -v "$tool" >/dev/null 2>&1 || { echo "make.sh: missing tool: $tool" >&2; exit 1; }
done
[ -f "$script" ] || { echo "make.sh: missing $script" >&2; exit 1; }
mkdir -p "$outdir"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Escape text for a WebVTT cue payload.
vtt_escape() {
  printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'
}

# Samples -> HH:MM:SS.mmm (rounded to the nearest millisecond).
timestamp() {
  local samples=$1 rate=$2 ms
  ms=$(( (samples * 1000 + rate / 2) / rate ))
  printf '%02d:%02d:%02d.%03d' $(( ms / 3600000 )) $(( ms / 60000 % 60 )) \
    $(( ms / 1000 % 60 )) $(( ms % 1000 ))
}

# Greedy word wrap of a cue payload; the first line starts with the voice tag.
# Prints the wrapped lines; fails if more than two lines would be needed.
wrap_cue() {
  local tag=$1 text=$2 line="$1" word count=1 words
  read -r -a words <<< "$text"    # split on spaces without glob expansion
  for word in "${words[@]}"; do
    if [ "$line" = "$tag" ]; then
      line="$tag $word"
    elif [ $(( ${#line} + 1 + ${#word} )) -le "$MAXLINE" ]; then
      line="$line $word"
    else
      printf '%s\n' "$line"
      line="$word"
      count=$(( count + 1 ))
    fi
  done
  printf '%s\n' "$line"
  if [ "$count" -gt 2 ]; then
    echo "make.sh: cue needs $count lines (max 2); split it in script.txt: $text" >&2
    return 1
  fi
}

voice_for() {
  case "$1" in
    Narrator) printf '%s' "$VOICE" ;;
    *) echo "make.sh: unknown speaker '$1' (only synthetic speakers are allowed)" >&2; return 1 ;;
  esac
}

# 1. Synthesise each cue separately and measure it.
n=0
rate=""
speakers=()
texts=()
lengths=()
while IFS= read -r raw || [ -n "$raw" ]; do
  [ -n "$raw" ] || continue
  case "$raw" in *'|'*) ;; *) echo "make.sh: line without 'Speaker|text': $raw" >&2; exit 1 ;; esac
  speaker="${raw%%|*}"
  text="${raw#*|}"
  [ -n "$text" ] || { echo "make.sh: empty text for $speaker" >&2; exit 1; }
  voice="$(voice_for "$speaker")"
  n=$(( n + 1 ))
  clip="$(printf '%s/cue-%03d.wav' "$tmp" "$n")"
  printf '%s\n' "$text" > "$tmp/cue.txt"
  espeak-ng -b 1 -v "$voice" -s "$SPEED" -p "$PITCH" -w "$clip" -f "$tmp/cue.txt"
  r="$(soxi -r "$clip")"
  if [ -z "$rate" ]; then rate="$r"; elif [ "$r" != "$rate" ]; then
    echo "make.sh: sample rate changed ($r vs $rate)" >&2; exit 1
  fi
  speakers+=("$speaker")
  texts+=("$text")
  lengths+=("$(soxi -s "$clip")")
done < "$script"
[ "$n" -gt 0 ] || { echo "make.sh: no cues in $script" >&2; exit 1; }

pause_samples=$(( rate * PAUSE_MS / 1000 ))
# Rate and channels are given for the null input too, so that the trim counts
# samples at the output rate (sox's null input otherwise defaults to 48 kHz).
# -D (no dither) keeps the pause truly silent; -R makes sox repeatable.
sox -D -R -r "$rate" -c 1 -n -r "$rate" -c 1 -b 16 "$tmp/pause.wav" trim 0 "${pause_samples}s"
[ "$(soxi -s "$tmp/pause.wav")" -eq "$pause_samples" ] || { echo "make.sh: pause has the wrong length" >&2; exit 1; }

# 2. Concatenate and write the cue timings.
parts=()
{
  printf 'WEBVTT\n'
  pos=0
  for (( i = 0; i < n; i++ )); do
    clip="$(printf '%s/cue-%03d.wav' "$tmp" $(( i + 1 )))"
    parts+=("$clip")
    parts+=("$tmp/pause.wav")
    end=$(( pos + lengths[i] ))
    if [ $(( i + 1 )) -lt "$n" ]; then
      end=$(( end + pause_samples ))
    fi
    printf '\n%d\n%s --> %s\n' $(( i + 1 )) "$(timestamp "$pos" "$rate")" "$(timestamp "$end" "$rate")"
    wrap_cue "<v ${speakers[i]}>" "$(vtt_escape "${texts[i]}")"
    pos=$end
  done
} > "$tmp/transcript.vtt"
total=$(( pos + pause_samples ))   # the silent tail after the last cue

sox -D -R "${parts[@]}" "$tmp/all.wav"
got="$(soxi -s "$tmp/all.wav")"
[ "$got" -eq "$total" ] || { echo "make.sh: length mismatch: $got samples, expected $total" >&2; exit 1; }

# 3. Encode a mono, constant-bit-rate MP3 at the synthesiser's sample rate.
lame --quiet --noreplaygain -m m -b "$BITRATE" --cbr --resample "$(awk -v r="$rate" 'BEGIN { printf "%g", r / 1000 }')" \
  --id3v2-only \
  --tt "Rebuilding lives (synthesised summary)" \
  --ta "otpress example site (synthetic voice)" \
  --tc "Synthesised summary for the otpress example site; not the original recording." \
  "$tmp/all.wav" "$tmp/audio.mp3"

mv "$tmp/audio.mp3" "$mp3"
mv "$tmp/transcript.vtt" "$vtt"

secs=$(( (total + rate / 2) / rate ))
printf 'make.sh: %d cues, %s (%d samples at %d Hz, about %02d:%02d:%02d)\n' \
  "$n" "$(timestamp "$total" "$rate")" "$total" "$rate" \
  $(( secs / 3600 )) $(( secs / 60 % 60 )) $(( secs % 60 )) >&2
printf 'make.sh: wrote %s (%s bytes) and %s\n' "$mp3" "$(wc -c < "$mp3" | tr -d ' ')" "$vtt" >&2
