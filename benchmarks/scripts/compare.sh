#!/usr/bin/env bash
# compare.sh: is a change faster? Builds the benchmarks at two revisions of
# this repository and runs them alternately, one repetition at a time, then
# prints, for each bench, the median of its "× raw", "p50 × raw" and
# "× reflection" ratios over the runs, and the mean and standard deviation
# of "× raw".
# Alternating the two builds spreads the machine's drift over both, which
# one long run of each does not; each pair swaps which goes first. Every
# run warms up first (-warmup, in builds that have it): a process's first
# run of a bench can be a fifth slower (the raw loop's W2 was), and as the
# raw loop runs first, the ratios would read high.
#
#   benchmarks/scripts/compare.sh OLD NEW [RUNS [ONLY [SCALE]]]
#
# OLD and NEW are git revisions; "." means the working tree as it is.
# RUNS (default 5) is how many times each build runs; ONLY (default
# W1,W2,W3,W4,raw,sockipc) and SCALE (default 0.3) are the -only and
# -scale flags of the benchmarks command.
set -euo pipefail
old=${1:?usage: compare.sh OLD NEW [RUNS [ONLY [SCALE]]]}
new=${2:?usage: compare.sh OLD NEW [RUNS [ONLY [SCALE]]]}
runs=${3:-5}
only=${4:-W1,W2,W3,W4,raw,sockipc}
scale=${5:-0.3}

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$root" worktree prune; rm -rf "$work"' EXIT

# build REV NAME: the benchmarks binary at REV, as $work/NAME.
build() {
	local src=$root
	if [ "$1" != "." ]; then
		src=$work/src-$2
		git -C "$root" worktree add --quiet --detach "$src" "$1"
	fi
	(cd "$src/benchmarks" && go build -o "$work/$2" .)
	if [ "$1" != "." ]; then git -C "$root" worktree remove --force "$src"; fi
}
build "$old" old
build "$new" new

# warmup NAME: the flag that warms NAME up, if it has one (revisions before
# the flag came have not).
warmup() {
	case "$("$work/$1" -h 2>&1)" in *-warmup*) echo -warmup ;; esac
}
declare -A warm=([old]=$(warmup old) [new]=$(warmup new))

# Each pair of runs swaps which build goes first (old new, new old, ...),
# so that neither always runs right after the other.
for i in $(seq "$runs"); do
	order="old new"
	if [ $((i % 2)) -eq 0 ]; then order="new old"; fi
	for b in $order; do
		echo "run $i/$runs: $b" >&2
		"$work/$b" ${warm[$b]} -reps 1 -scale "$scale" -only "$only" 2>/dev/null |
			awk -F'|' -v b="$b" '/^\| W/ && $3 !~ /^ raw/ { print b "|" $2 "|" $3 "|" $5 "|" $8 "|" $9 }'
	done
done >"$work/rows"

python3 - "$work/rows" <<'PY'
import collections, statistics, sys

def ratio(s):
    s = s.strip().rstrip("×")
    return None if s in ("", "–") else float(s)

rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    build, work, system, rate, p50, refl = line.rstrip("\n").split("|")
    rows[(work.strip(), system.strip(), build)].append((ratio(rate), ratio(p50), ratio(refl)))

def median(xs):
    xs = [x for x in xs if x is not None]
    return f"{statistics.median(xs):.2f}" if xs else "–"

print(f"{'workload':8} {'system':36} {'build':5} {'× raw':>7} {'mean ± sd':>13} {'p50 × raw':>10} {'× refl':>7}")
for (work, system, build), vals in sorted(rows.items()):
    rates = [r for r, _, _ in vals if r is not None]
    spread = f"{statistics.mean(rates):.3f} ± {statistics.stdev(rates):.3f}" if len(rates) > 1 else "–"
    rate, p50, refl = (median(col) for col in zip(*vals))
    print(f"{work:8} {system:36} {build:5} {rate:>7} {spread:>13} {p50:>10} {refl:>7}")
PY
