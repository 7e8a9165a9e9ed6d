#!/usr/bin/env bash
# cpuspeed.sh: do all CPUs run at the same speed right now? Runs a short
# CPU-bound benchmark of the library (decoding a call's envelope, no
# system calls, no allocation) pinned to each CPU in turn, ROUNDS times
# (default 20), and prints each CPU's fastest, median and slowest time.
#
# On a virtual machine a CPU can run far slower than the others for
# minutes at a time, when the host gives its core to other work. A bench
# whose busiest thread lands on that CPU is slowed while another is not,
# and the ratios of a run measured then say more about the machine than
# about the code. Check before a run that is meant to decide something.
#
#   benchmarks/scripts/cpuspeed.sh [ROUNDS]
#
# It needs taskset (util-linux). The exit status is 1 if a CPU's median
# is more than 15% above the fastest CPU's.
set -euo pipefail
rounds=${1:-20}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && go test -c -o "$work/wire.test" ./internal/wire)
cpus=$(nproc)

for _ in $(seq "$rounds"); do
	for c in $(seq 0 $((cpus - 1))); do
		ns=$(taskset -c "$c" "$work/wire.test" -test.run '^$' \
			-test.bench '^BenchmarkNativeDecodeRequest$' -test.benchtime 2000000x |
			awk '/ns\/op/ { print $3 }')
		echo "$c $ns"
	done
done >"$work/times"

python3 - "$work/times" <<'PY'
import collections, statistics, sys

times = collections.defaultdict(list)
for line in open(sys.argv[1]):
    cpu, ns = line.split()
    times[int(cpu)].append(float(ns))
medians = {cpu: statistics.median(ts) for cpu, ts in times.items()}
best = min(medians.values())
print(f"{'cpu':>3} {'fastest':>8} {'median':>8} {'slowest':>8}  ns per envelope decoded")
slow = []
for cpu, ts in sorted(times.items()):
    flag = ""
    if medians[cpu] > 1.15 * best:
        flag = f"  {medians[cpu] / best:.2f}x the fastest CPU's median"
        slow.append(cpu)
    print(f"{cpu:>3} {min(ts):>8.1f} {medians[cpu]:>8.1f} {max(ts):>8.1f}{flag}")
if slow:
    print(f"CPU {', '.join(map(str, slow))} slower than the others: wait, or expect noisy ratios")
    sys.exit(1)
print("all CPUs within 15% of each other")
PY
