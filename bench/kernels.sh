#!/usr/bin/env bash
# bench/kernels.sh: the per-kernel speed table. On one pinned core, in one
# run: the FMA peak (asm/internal/kerneltest), then every matrix product of
# R1–R5 and the whole Forward, ForwardBatch and Step on every kernel path
# (the generated packages' own benchmarks), then the purego build of the same
# packages; GFLOP/s and % of the peak measured before and after.
# Every benchmark runs COUNT times; the table keeps the best of them (the
# host is shared, so interference only ever slows a run down).
# Writes bench/results/kernels.md. About 5 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
OUT=${OUT:-bench/results}
mkdir -p "$OUT"
PIN=()
command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ] && PIN=(taskset -c 1)
BT=${BENCHTIME:-500ms}
COUNT=${COUNT:-3} # repetitions of every benchmark; the table keeps the best
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

peak() { "${PIN[@]}" go test -run '^$' -bench 'Peak' -benchtime "$BT" -count 3 ./asm/internal/kerneltest | grep '^BenchmarkPeak' >>"$raw"; }
peak
for m in housing mnist resnet digits signal; do
	"${PIN[@]}" go test -run '^$' -bench 'Kernels|Forward|Step' -benchtime "$BT" -count "$COUNT" "./generated/$m" |
		grep '^Benchmark' | sed "s|^Benchmark|$m |" >>"$raw"
	"${PIN[@]}" go test -tags purego -run '^$' -bench 'Forward|Step' -benchtime "$BT" -count "$COUNT" "./generated/$m" |
		grep '^Benchmark' | sed "s|^Benchmark|$m-purego |" >>"$raw"
done
peak

awk -v date="$(date -u +%Y-%m-%dT%H:%MZ)" -v commit="$(git rev-parse --short HEAD)" \
    -v cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" '
function gf(line,   i, n, f) { n = split(line, f, " "); for (i = 1; i < n; i++) if (f[i+1] == "GFLOP/s") return f[i]; return 0 }
function ns(line,   i, n, f) { n = split(line, f, " "); for (i = 1; i < n; i++) if (f[i+1] == "ns/op") return f[i]; return 0 }
/^BenchmarkPeak\/avx2/ { g = gf($0); if (g > pk["avx2"]) pk["avx2"] = g; next }
/^BenchmarkPeak\/avx512/ { g = gf($0); if (g > pk["avx512"]) pk["avx512"] = g; next }
{
	net = $1; split($2, p, "/"); sub(/-[0-9]+$/, "", p[length(p)])
	if (p[1] == "Kernels") { key = net " " p[2]; path = p[3] } else { key = net " " p[1]; path = p[2] }
	if (net ~ /-purego$/) { sub(/-purego$/, "", key); sub(/-purego /, " ", key); path = "purego" }
	if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
	n = ns($0); g = gf($0)
	if (!((key, path) in t) || n < t[key, path]) t[key, path] = n
	if (g > g2[key, path]) g2[key, path] = g
}
END {
	printf "# Kernel speed\n\n- CPU: %s; run %s, commit %s, `bench/kernels.sh`, one core (`taskset -c 1`)\n", cpu, date, commit
	printf "- FP32 FMA peak measured in the same run (best of before and after): AVX2 %.1f GFLOP/s", pk["avx2"]
	if (pk["avx512"] > 0) printf ", AVX-512 %.1f GFLOP/s", pk["avx512"]; else printf "; AVX-512: not on this CPU"
	printf "\n- %% of peak: GFLOP/s ÷ the AVX2 peak (the generic and purego paths are scalar Go; their %% is of the same peak)\n\n"
	printf "| network | kernel or entry point | generic GFLOP/s (%% peak) | avx2 GFLOP/s (%% peak) | avx512 | avx2 speedup over generic | purego ns/op | best ns/op | speedup over purego |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
	for (i = 1; i <= nk; i++) {
		k = order[i]; split(k, kk, " ")
		a = g2[k, "avx2"]; gg = g2[k, "generic"]; z = g2[k, "avx512"]
		sp = (gg > 0 && a > 0) ? sprintf("%.1f×", a / gg) : "—"
		best = (t[k, "avx512"] > 0) ? t[k, "avx512"] : t[k, "avx2"]
		pu = t[k, "purego"]; spu = (pu > 0 && best > 0) ? sprintf("%.1f×", pu / best) : "—"
		printf "| %s | %s | %.2f (%.1f%%) | %.2f (%.1f%%) | %s | %s | %s | %s | %s |\n", kk[1], kk[2], gg, 100 * gg / pk["avx2"], a, 100 * a / pk["avx2"], (z > 0 ? sprintf("%.2f", z) : "—"), sp, (pu > 0 ? pu : "—"), best, spu
	}
}' "$raw" >"$OUT/kernels.md"
cat "$OUT/kernels.md"
