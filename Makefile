# Front door. Each target picks a JDK 21+ the same way ./medmaas does.
JAVA_HOME := $(shell scripts/java-home)
export JAVA_HOME
MVN := ./mvnw -B

.PHONY: help test build run bench clean

help: ## Show this list
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

test: ## Run all tests (the README's test command)
	$(MVN) verify

build: ## Build the distribution in medmaas-cli/target/dist without running tests
	$(MVN) -q -Dmaven.test.skip=true package

run: ## The main job: profile Pima diabetes, then generate and profile a synthetic cohort
	./medmaas data profile ../shared/datasets/pima-indians-diabetes/PimaIndiansDiabetes2.csv --target diabetes
	[ -d demo/csv ] || ./medmaas data synthea --patients 100 --seed 1 --out demo
	./medmaas data profile demo/csv/patients.csv

bench: build ## Run the peer benchmarks (pandas, scikit-learn) and print the tables for docs/benchmarks.md
	medmaas-bench/run-benchmarks.sh

clean: ## Remove build output
	$(MVN) -q clean
