# Shortcuts; the README gives the commands themselves.
.PHONY: test bench

test:
	./tests/run.sh

bench:
	bench/run.sh
