#!/usr/bin/env bash
# The case library's search benchmark: our index (tantivy + jieba) against SQLite FTS5 with the
# trigram tokenizer, on the same generated corpus in the same run. Prints its figures.
#   bash bench/search.sh [CASES] [CLIENTS]          (default: 100000 cases, 16 clients)
# The judged queries are bench/search_queries.tsv (relevance by the generated facets).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q --bin ronghe
DIR=$(mktemp -d /tmp/ronghe-search-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
./target/release/ronghe report search --cases "${1:-100000}" --clients "${2:-16}" \
  --queries bench/search_queries.tsv --dir "$DIR"
