# Front door. Each target picks a JDK 21+ the same way ./medmaas does.
JAVA_HOME := $(shell scripts/java-home)
export JAVA_HOME
MVN := ./mvnw -B

.PHONY: help test build run bench clean

help: ## Show this list
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

test: ## Run all tests (the README's test command, ./medmaas test)
	./medmaas test

build: ## Build the distribution in medmaas-cli/target/dist without running tests
	$(MVN) -q -Dmaven.test.skip=true package

run: ## The main job (README): synthetic cohort -> features -> profile -> model -> explanations
	./medmaas quickstart

bench: build ## Run every peer benchmark (pandas, scikit-learn, xgboost) and print the tables for docs/benchmarks.md
	medmaas-bench/run-benchmarks.sh
	medmaas-bench/run-quality.sh
	medmaas-bench/run-speed.sh

clean: ## Remove build output
	$(MVN) -q clean
