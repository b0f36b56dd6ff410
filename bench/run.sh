#!/usr/bin/env bash
# bench/run.sh: the nngen benchmark against its peers. Times R1–R5 with every peer
# — nngen generated (best path), the same packages under -tags purego, the
# gonum reference (ref), hand-written Go (R1, R2) and PyTorch CPU (eager and
# TorchScript, one thread) — on one pinned core in one run (and nngen again with SetThreads(2) on two
# cores, for the scaling column), then writes
# bench/results/bench.md and bench/results/bench.csv and prints the table.
#
#   bench/run.sh                      from anywhere; about 2 minutes (90–107 s here)
#   REPS=21 REP_MS=30 bench/run.sh    more repetitions / longer ones
#
# It installs Debian's python3-torch and OpenBLAS if missing (apt-get, as
# root). Run it on a quiet machine: the numbers are only as good as that.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
start=$SECONDS

REPS=${REPS:-15}        # repetitions per operation (the report needs >= 10)
REP_MS=${REP_MS:-20}    # target length of one repetition
WARMUP_MS=${WARMUP_MS:-100}
SPECS=${SPECS:-testdata/specs}
OUT=${OUT:-bench/results}
RAW=$OUT/raw
PY=/usr/bin/python3     # Debian's python3-torch is for the system interpreter, not pyenv's

# --- PyTorch: Debian's package, and OpenBLAS, without which torch falls
# back to the reference BLAS and runs its matrix products ~20x slower.
if ! $PY -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
	echo "== installing python3-torch and libopenblas0-pthread"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi

# --- one core for everything measured
PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
	PIN=(taskset -c 1)
fi

# --- build; a generated package that is not there yet is left out by tag
tags=()
for m in housing mnist resnet digits signal; do
	if ! go list "./generated/$m" >/dev/null 2>&1; then
		echo "== generated/$m missing: nngen will not be measured on it"
		tags+=("nogen_$m")
	fi
done
TAGS=$(IFS=,; echo "${tags[*]:-}")
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
echo "== building"
go build -o "$BIN/nnbench" -tags "$TAGS" ./bench/cmd/nnbench
go build -o "$BIN/nnbench-purego" -tags "purego${TAGS:+,$TAGS}" ./bench/cmd/nnbench
go build -o "$BIN/benchreport" ./bench/cmd/benchreport
go build -o "$BIN/onetime" ./bench/cmd/onetime

rm -rf "$RAW"
mkdir -p "$RAW" "$BIN/dump"
TORCH_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
GOARGS=(-reps "$REPS" -rep "${REP_MS}ms" -warmup "${WARMUP_MS}ms")
PYARGS=(--reps "$REPS" --rep-ms "$REP_MS" --warmup-ms "$WARMUP_MS")

echo "== machine"
"${PIN[@]}" "$BIN/nnbench" -machine -o "$RAW/machine.json"

# --- every peer on every network, one process each (for its peak RSS)
for spec in "$SPECS"/r[0-9]*.nn; do
	net=$(basename "$spec" .nn)
	echo "== $net"
	for impl in nngen ref handwritten; do
		"${PIN[@]}" "$BIN/nnbench" -impl $impl "${GOARGS[@]}" -o "$RAW/${impl}__$net.json" "$spec"
	done
	"${PIN[@]}" "$BIN/nnbench-purego" -impl nngen "${GOARGS[@]}" -o "$RAW/nngen-purego__$net.json" "$spec"
	# Thread scaling: SetThreads(2) on two cores (skipped on one core).
	if [ "$(nproc)" -gt 1 ] && command -v taskset >/dev/null; then
		taskset -c 0,1 "$BIN/nnbench" -impl nngen -threads 2 "${GOARGS[@]}" -o "$RAW/nngen-t2__$net.json" "$spec"
	fi
	# PyTorch runs on the reference's weights and batch, and checks its
	# output and loss against the reference's first.
	"$BIN/nnbench" -dump "$BIN/dump/$net.json" "$spec"
	for mode in eager script; do
		"${TORCH_ENV[@]}" "${PIN[@]}" $PY bench/torch_bench.py --mode $mode "${PYARGS[@]}" \
			--check "$BIN/dump/$net.json" -o "$RAW/torch-${mode}__$net.json" "$spec"
	done
done

echo "== one-time costs"
"$BIN/onetime" -specs "$SPECS" -o "$RAW/onetime.json"

pinned="${PIN[*]:-not pinned (taskset missing or one CPU)}"
cat >"$RAW/meta.json" <<META
{
 "run": "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo none), bench/run.sh",
 "pinning": "every measured process under ${pinned}; Go: GOMAXPROCS from the affinity mask",
 "repetitions": "$REPS per operation, ${REP_MS} ms each, after ${WARMUP_MS} ms of warm-up",
 "PyTorch": "$($PY -c 'import torch; print(torch.__version__)' 2>/dev/null), ${TORCH_ENV[*]} ${PIN[*]:-} $PY bench/torch_bench.py; torch.set_num_threads(1); forward under torch.inference_mode, TorchScript forward frozen",
 "build tags": "${TAGS:-none}; purego column: the same nnbench built with -tags purego"
}
META

echo "== report"
"$BIN/benchreport" -raw "$RAW" -specs "$SPECS" -out "$OUT"
echo "== done in $((SECONDS - start)) s: $OUT/bench.md, $OUT/bench.csv"
