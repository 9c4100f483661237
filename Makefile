# The project's commands. Each installs dependencies first when node_modules is missing.
# Run `make help` for the list.
SHELL := /bin/bash
TSX := node_modules/.bin/tsx
CLI := $(TSX) pipeline/cli/main.ts
STUDIES ?= studies
SOURCES ?= ../shared/sources

.PHONY: help install reproduce test validate import new-study calibrate publish bench typecheck

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' Makefile | sed -E 's/:.*## /\t/' | expand -t 14

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install pinned dependencies (npm ci)

reproduce: install ## Run the whole pipeline: ingest → normalize → fit → classify → aggregate → analyses → report
	@$(CLI) reproduce

test: install ## Type-check and run the test suite
	@node_modules/.bin/tsc --noEmit -p .
	@node_modules/.bin/vitest run

validate: install ## Check studies/ (or STUDIES=DIR) against schemas and rules
	@$(CLI) validate --studies $(STUDIES)

import: install ## Re-create studies/ from raw sources (SOURCES=../shared/sources)
	@$(CLI) import --sources $(SOURCES)

new-study: install ## Scaffold studies/ID/ for a contribution (ID=..., LEVEL=checkpoint for checkpoint data)
	@$(CLI) new-study --id "$(ID)" $(if $(LEVEL),--level $(LEVEL),)

report: install ## Render outputs/report/ (report.html, report.md, figures) from existing outputs/, no refit
	@$(CLI) report

calibrate: install ## Choose rule thresholds against published labels (writes pipeline/config/calibration.json)
	@$(CLI) calibrate $(if $(APPLY),--apply,)

publish: install ## Publish outputs/ as reports/vVERSION (VERSION=x.y.z)
	@$(CLI) publish --version "$(VERSION)"

bench: install ## Benchmark the fit engine and the pipeline
	@$(TSX) bench/run.ts

typecheck: install
	@node_modules/.bin/tsc --noEmit -p .
