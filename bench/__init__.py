"""Load tools: `make bench` (bench.run) and `make soak` (bench.soak); see docs/performance.md."""
