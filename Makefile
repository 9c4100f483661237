# The project's commands. Each installs dependencies first when node_modules is missing.
# Run `make help` for the list.
SHELL := /bin/bash
TSX := node_modules/.bin/tsx
# Commands run the JavaScript that tsc compiles into .build/ (git-ignored), not tsx: it starts faster
# and so do the worker threads. `make test` still runs vitest on the TypeScript sources.
BUILD := .build
BUILT := $(BUILD)/.stamp
# The compiled CLI, started with its measured memory settings (see the launcher).
CLI := pipeline/cli/launch.sh
BUILD_SOURCES := $(shell find pipeline bench -name '*.ts') test/fit/exponential-reference.ts tsconfig.json tsconfig.build.json
STUDIES ?= studies
SOURCES ?= ../shared/sources

# A variable's value as ONE single-quoted shell word, taken literally: $(value) stops make from
# expanding it and the quotes stop the shell, so VERSION='$$(cmd)' or a path with spaces is just text.
# Exit status: a failing command exits 1 (user error) or 2 (usage); make itself then exits 2.
arg = '$(subst ','\'',$(value $(1)))'
# Nor does make expand them to build the commands' environment ($(shell …) given as a value stays text).
unexport VERSION ID STUDIES SOURCES LEVEL APPLY BASE FAIL_ON_HEADLINE_CHANGE COLUMNS FRESH NOTE

.PHONY: help install build reproduce test validate import new-study calibrate publish diff bench typecheck report figures terms screenshots site

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' Makefile | sed -E 's/:.*## /\t/' | expand -t 14

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install pinned dependencies (npm ci)

# Compiled into a temporary folder first, so a failed build leaves the previous one whole.
$(BUILT): $(BUILD_SOURCES) node_modules/.package-lock.json
	@rm -rf $(BUILD).tmp
	@node_modules/.bin/tsc -p tsconfig.build.json --outDir $(BUILD).tmp
	@touch $(BUILD).tmp/.stamp
	@rm -rf $(BUILD) && mv $(BUILD).tmp $(BUILD)

build: $(BUILT) ## Compile the pipeline to JavaScript in .build/ (done by every command when sources change)

reproduce: install $(BUILT) ## Run the whole pipeline (STUDIES=DIR to read another registry; FRESH=1 to ignore the cache): ingest → normalize → fit → classify → aggregate → analyses → report
	@$(CLI) reproduce --studies $(call arg,STUDIES) $(if $(value FRESH),--fresh,)

test: install ## Type-check and run the test suite
	@node_modules/.bin/tsc --noEmit -p .
	@node_modules/.bin/vitest run

validate: install $(BUILT) ## Check studies/ (or STUDIES=DIR) against schemas and rules
	@$(CLI) validate --studies $(call arg,STUDIES)

import: install $(BUILT) ## Re-create studies/ from raw sources (SOURCES=../shared/sources)
	@$(CLI) import --sources $(call arg,SOURCES)

new-study: install $(BUILT) ## Scaffold studies/ID/ for a contribution (ID=..., LEVEL=checkpoint for checkpoint data)
	@$(CLI) new-study --id $(call arg,ID) --studies $(call arg,STUDIES) $(if $(value LEVEL),--level $(call arg,LEVEL),)

report: install $(BUILT) ## Render outputs/report/ (report.html, report.md, figures) from existing outputs/, no refit
	@$(CLI) report

figures: install $(BUILT) ## PNGs of the report's figures beside their SVGs (outputs/report/figures/*.png), one at a time
	@$(CLI) figures

calibrate: install $(BUILT) ## Choose rule thresholds against published labels (STUDIES=DIR) (writes pipeline/config/calibration.json)
	@$(CLI) calibrate --studies $(call arg,STUDIES) $(if $(value APPLY),--apply,)

terms: install $(BUILT) ## Print the words the report uses and their meanings (COLUMNS=tasks.csv: the columns of one output file)
	@$(CLI) terms $(if $(value COLUMNS),--columns $(call arg,COLUMNS),)

site: install $(BUILT) ## Rewrite the site of published versions (reports/index.html, index.md, versions/) and README's studies table without publishing
	@$(CLI) site

publish: install $(BUILT) ## Publish outputs/ as reports/vVERSION (VERSION=x.y.z; NOTE="why" for the changelog)
	@$(CLI) publish --version $(call arg,VERSION) $(if $(value NOTE),--note $(call arg,NOTE),)

diff: install $(BUILT) ## Markdown summary of what outputs/ changes against a published version (BASE=x.y.z, default the latest; FAIL_ON_HEADLINE_CHANGE=1 to gate)
	@$(CLI) diff $(if $(value BASE),--base $(call arg,BASE),) $(if $(value FAIL_ON_HEADLINE_CHANGE),--fail-on-headline-change,)

bench: install $(BUILT) ## Benchmark the fit engine and the pipeline
	@node $(BUILD)/bench/run.js

typecheck: install ## Type-check only (tsc --noEmit), without running the tests
	@node_modules/.bin/tsc --noEmit -p .

screenshots: install ## Screenshots of outputs/report/report.html (top, overview, headline, a task grid) and its PDF print, into outputs/screenshots/ (needs Chromium)
	@$(TSX) test/report/take-screenshots.ts outputs
