#!/usr/bin/env bash
# Runs the benchmarks and the scale test that BENCHMARKS.md reports, and
# rewrites BENCHMARKS.md from their output: the machine, the figures the
# README quotes, benchstat's summary, and the raw results.
#
#   scripts/bench.sh            # 10 rounds (about 8 minutes on 2 cores)
#   COUNT=3 scripts/bench.sh    # quicker, noisier
#   OUT=/tmp/b.md scripts/bench.sh   # write elsewhere
#
# benchstat comes from golang.org/x/perf through `go run`, so the module
# does not depend on it. The benchmarks share the machine with whatever else
# runs: run this on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

count=${COUNT:-10}
out=${OUT:-BENCHMARKS.md}
benchstat=${BENCHSTAT:-go run golang.org/x/perf/cmd/benchstat@latest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The machine, taken before the run: its load, and whether the tree is
# clean (later, the output file being rewritten would count as a change).
machine() {
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores visible, GOMAXPROCS ${GOMAXPROCS:-$(nproc)})"
	echo "- Memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- OS: $(uname -srm)"
	echo "- Go: $(go version | cut -d' ' -f3-)"
	echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $loadavg"
}
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
machine_info=$(machine)

# Every benchmark BENCHMARKS.md reports. Each package's test binary is built
# once and run $count times, each time with every benchmark once: the
# library's samples and the naive baseline's are taken side by side, so a
# burst of load on the shared machine skews both, not their ratio.
echo "bench.sh: go test -bench, $count rounds" >&2
go test -c -o "$work/enforce.test" ./enforce
go test -c -o "$work/site.test" ./site
bench() { # PKG BINARY REGEX
	(cd "$1" && "$2" -test.run '^$' -test.count 1 -test.bench "$3")
}
transport_failed=
for _ in $(seq "$count"); do
	bench enforce "$work/enforce.test" '^Benchmark(Decide|DecideFromStrings|NaiveBaseline|DecideParallel|DecideNewHosts)$' >>"$work/enforce.txt"
	bench site "$work/site.test" '^Benchmark(Site|SiteParallel|SiteMiss)$' >>"$work/site.txt"
	# BenchmarkTransport on its own: when it fails, BENCHMARKS.md says so.
	if [ -z "$transport_failed" ] && ! bench enforce "$work/enforce.test" '^BenchmarkTransport(SameOrigin|CORS|Redirect)?$' >"$work/transport1.txt" 2>&1; then
		transport_failed=$(grep -v -e '^FAIL' -e '^exit status' -e '^goos:' -e '^goarch:' -e '^pkg:' -e '^cpu:' "$work/transport1.txt" | head -5 || true)
		transport_failed=${transport_failed:-"the test binary failed without saying why"}
		: >"$work/transport.txt"
	elif [ -z "$transport_failed" ]; then
		cat "$work/transport1.txt" >>"$work/transport.txt"
	fi
done
# ORB's script step: internal/jsscript beside tdewolff's parser on real
# bundles (fetched from the npm registry by corpus.sh; skipped, saying so,
# where that fails) and on hostile shapes. Fewer rounds: each is long. The
# comparison is the nested module internal/jsscript/compare, which keeps
# tdewolff out of the root go.mod.
: >"$work/script.txt"
script_note=
if JSSCRIPT_BENCH=$(internal/jsscript/testdata/corpus.sh --bench) && internal/jsscript/testdata/corpus.sh --fetch >"$work/corpus.log" 2>&1; then
	go -C internal/jsscript/compare test -c -o "$work/compare.test" .
	for _ in $(seq "${SCRIPT_COUNT:-3}"); do
		(cd internal/jsscript/compare && JSSCRIPT_BENCH=$JSSCRIPT_BENCH "$work/compare.test" -test.run '^$' -test.count 1 -test.bench '^BenchmarkORBScript$') >>"$work/script.txt"
	done
else
	script_note="The real bundles could not be fetched (internal/jsscript/testdata/corpus.sh failed), so BenchmarkORBScript did not run."
fi
cat "$work/enforce.txt" "$work/site.txt" "$work/transport.txt" "$work/script.txt" >"$work/bench.txt"

echo "bench.sh: benchstat" >&2
(cd "$work" && $benchstat bench.txt) >"$work/stat.txt"

echo "bench.sh: scale test (XORIGIN_SCALE=1)" >&2
XORIGIN_SCALE=1 go test -run '^TestScale(NewHosts)?$' -count 1 -v ./enforce |
	sed -n -e 's/^.*scale: //p' -e 's/^.*\(scale, every host new: .*\)$/\1/p' >"$work/scale.txt"

# median NAME UNIT: the median of a benchmark's values in UNIT (ns/op,
# allocs/op, B/entry, ...), from the raw results; NAME has no -GOMAXPROCS
# suffix.
median() {
	awk -v name="$1" -v unit="$2" '
		{ n = $1; sub(/-[0-9]+$/, "", n) }
		n == name { for (i = 3; i < NF; i++) if ($(i+1) == unit) print $i }' "$work/bench.txt" |
		sort -g |
		awk '{ v[NR] = $1 }
			END {
				if (NR == 0) { print "?"; exit }
				m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
				if (m >= 100 || m == int(m)) printf "%.0f\n", m; else printf "%.3g\n", m
			}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "?" || b == "?" || b == 0) print "?"; else printf "%.1f\n", a / b }'; }


{
	echo "# Benchmarks"
	echo
	echo "Written by \`scripts/bench.sh\`: $count rounds, each running every benchmark"
	echo "once, so that the library's figures and the naive check's are taken side"
	echo "by side; medians, and benchstat's summary below. Run it again to"
	echo "reproduce every figure here; the README quotes the first tables. Figures"
	echo "from a shared virtual machine vary from run to run by 10-20%; compare"
	echo "figures of one run with each other."
	echo
	echo "## Machine"
	echo
	echo "$machine_info"
	echo
	echo "## The decision (pre-parsed inputs, site cache warm)"
	echo
	echo "\`BenchmarkDecide\`: \`Engine.Decide\` on a \`fetchctx.Request\` and an"
	echo "\`enforce.Response\` parsed beforehand: a no-cors script load answering"
	echo "\`Cross-Origin-Resource-Policy: same-site\` (which the check decides at its"
	echo "step 3), under a report-only require-corp policy, from a page of each"
	echo "relation to the resource, on an engine running the CORP and COEP checks"
	echo "(\`Config{Checks: CheckCORP}\`, with the default site cache, warm); and a"
	echo "response without the header, which the report-only policy defaults to"
	echo "same-origin at step 4, queuing a report. The parallel column is"
	echo "\`BenchmarkDecideParallel\`: wall-clock time per decision with GOMAXPROCS"
	echo "goroutines deciding at once on one engine (each decision takes about"
	echo "that many times as long)."
	echo
	echo "| case | ns/op | allocs/op | parallel ns/op |"
	echo "| --- | ---: | ---: | ---: |"
	for c in same-origin same-site cross-site; do
		echo "| $c | $(median "BenchmarkDecide/$c" ns/op) | $(median "BenchmarkDecide/$c" allocs/op) | $(median "BenchmarkDecideParallel/$c" ns/op) |"
	done
	echo "| same-site, 4,096 sites | | | $(median "BenchmarkDecideParallel/same-site/4096-sites" ns/op) |"
	echo "| cross-site, no CORP header (COEP step 4 reports) | $(median "BenchmarkDecide/cross-site/no-header" ns/op) | $(median "BenchmarkDecide/cross-site/no-header" allocs/op) | |"
	echo
	echo "Target (issue 17): same-site at most 24 ns, same-origin and cross-site"
	echo "below it, no allocation: $(median "BenchmarkDecide/same-site" ns/op) ns same-site here."
	echo
	echo "## Hosts seen once"
	echo
	echo "A crawl that rarely meets a host twice must not pay for a cache it cannot"
	echo "use: a miss may cost at most 10% more than no cache (issue 17), and no"
	echo "allocation beyond the list's. \`BenchmarkSiteMiss\`: \`RegistrableDomain\` on"
	echo "each of 1,048,576 distinct hosts in turn (one in 16 an IP address), on a"
	echo "default cache filled with other hosts, without a cache, and x/net's"
	echo "\`EffectiveTLDPlusOne\`. \`BenchmarkDecideNewHosts\`: \`BenchmarkDecideFromStrings\`"
	echo "where both hosts of every decision are new (524,288 sites, a page and a"
	echo "script from another host of the site answering CORP same-site), on the"
	echo "default engine with its cache full of other hosts, an engine without a"
	echo "cache, and the naive check."
	echo
	echo "Both report \`cpu-ns/op\` beside \`ns/op\`: the process's CPU time per"
	echo "operation, which a busy shared machine disturbs less than the wall clock;"
	echo "the ratio is taken on it. When nearly every host is new the cache stands"
	echo "aside (it watches one host in 64 and lets the others go straight to the"
	echo "list while those rarely hit)."
	echo
	echo "| benchmark | cached cpu-ns/op | ns/op | allocs/op | no cache cpu-ns/op | ns/op | allocs/op | cached / no cache, CPU (target at most 1.10) | x/net or naive ns/op |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for row in "BenchmarkSiteMiss cached uncached x-net" "BenchmarkDecideNewHosts default-cache no-cache naive"; do
		set -- $row
		c=$(median "$1/$2" cpu-ns/op); u=$(median "$1/$3" cpu-ns/op)
		echo "| \`$1\` | $c | $(median "$1/$2" ns/op) | $(median "$1/$2" allocs/op) | $u | $(median "$1/$3" ns/op) | $(median "$1/$3" allocs/op) | $(awk -v a="$c" -v b="$u" 'BEGIN { if (a == "?" || b == "?" || b == 0) print "?"; else printf "%.2f", a / b }') | $(median "$1/$4" ns/op) |"
	done
	echo
	echo "(allocs/op rounds down: x/net's list allocates once per domain it is asked"
	echo "about, 15 hosts in 16 of \`BenchmarkSiteMiss\`.)"
	echo
	echo "## From strings, against the naive check"
	echo
	echo "\`BenchmarkDecideFromStrings\`: the page's serialized origin, the URL and"
	echo "the response's raw header pairs in, a verdict out. \`BenchmarkNaiveBaseline\`:"
	echo "the check written by hand, on the same inputs: \`url.Parse\` both, x/net's"
	echo "\`publicsuffix.EffectiveTLDPlusOne\` both hosts, compare, read the header"
	echo "(wrong in the cases \`enforce.TestNaiveBaselineIsWrong\` lists). The library"
	echo "runs the CORP and COEP checks, the naive check's scope, and reuses a"
	echo "scratch request as a crawler's worker would (without it, one allocation"
	echo "more: the URL list)."
	echo
	echo "| case | library ns/op | allocs/op | naive ns/op | allocs/op | naive / library |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	ratios=
	for c in same-origin same-site cross-site; do
		lib=$(median "BenchmarkDecideFromStrings/$c" ns/op)
		nai=$(median "BenchmarkNaiveBaseline/$c" ns/op)
		r=$(ratio "$nai" "$lib")
		ratios="$ratios $r"
		echo "| $c | $lib | $(median "BenchmarkDecideFromStrings/$c" allocs/op) | $nai | $(median "BenchmarkNaiveBaseline/$c" allocs/op) | ${r}x |"
	done
	echo "| geometric mean | | | | | $(echo "$ratios" | awk '{ p = 1; for (i = 1; i <= NF; i++) { if ($i == "?") { print "?"; exit } p *= $i } printf "%.1f", p ^ (1 / NF) }')x |"
	echo
	echo "## Registrable domain and the site cache"
	echo
	echo "\`BenchmarkSite\`: \`Resolver.RegistrableDomain\` on x/net's list, without a"
	echo "cache (cold: x/net's table walk) and with \`site.NewCached\` (the default"
	echo "in \`enforce.New\` and so in the Transport)."
	echo
	echo "| lookup | ns/op | allocs/op |"
	echo "| --- | ---: | ---: |"
	for h in short deep private; do
		echo "| cold, $h host | $(median "BenchmarkSite/cold/$h" ns/op) | $(median "BenchmarkSite/cold/$h" allocs/op) |"
	done
	for h in short deep private; do
		echo "| cache hit, $h host | $(median "BenchmarkSite/cached/hit/$h" ns/op) | $(median "BenchmarkSite/cached/hit/$h" allocs/op) |"
	done
	echo "| cache hit, over 16,384 hosts | $(median "BenchmarkSite/cached/hit/16Ki-domains" ns/op) | $(median "BenchmarkSite/cached/hit/16Ki-domains" allocs/op) |"
	echo "| cache miss, 64-entry cache (BenchmarkSite/cached/miss) | $(median "BenchmarkSite/cached/miss" ns/op) | $(median "BenchmarkSite/cached/miss" allocs/op) |"
	echo "| parallel, cold (\`BenchmarkSiteParallel\`) | $(median "BenchmarkSiteParallel/cold" ns/op) | $(median "BenchmarkSiteParallel/cold" allocs/op) |"
	echo "| parallel, cache hits | $(median "BenchmarkSiteParallel/cached" ns/op) | $(median "BenchmarkSiteParallel/cached" allocs/op) |"
	echo
	echo "Memory: $(median "BenchmarkSite/cached/hit/16Ki-short-domains" B/entry) bytes of heap per cached host of 13 to 16 bytes"
	echo "(the entry holds a host of up to 24 bytes itself), $(median "BenchmarkSite/cached/hit/16Ki-domains" B/entry) bytes for hosts of"
	echo "17 to 27 bytes (those longer than 24 bytes with a copy), measured over"
	echo "16,384 hosts of each; plus the table: 10 bytes a slot (a pointer, and a tag and a remembered tag), $(median "BenchmarkSite/cached/hit/16Ki-domains" KiB-table) KiB for the default"
	echo "65,536 entries, allocated at the first miss. A hit over 16,384 short hosts:"
	echo "$(median "BenchmarkSite/cached/hit/16Ki-short-domains" ns/op) ns."
	echo
	echo "## Transport"
	echo
	if [ -n "$transport_failed" ]; then
		echo "\`BenchmarkTransport\` failed in this run, so there is no figure:"
		echo
		echo '```'
		echo "$transport_failed"
		echo '```'
	else
		echo "\`BenchmarkTransport\`: a GET through \`enforce.Transport\` beside one through the"
		echo "bare base transport, on loopback with keep-alive, where the round trip is"
		echo "cheapest; wrapped/bare is the ratio of their median times, added-allocs/op"
		echo "the allocations the Transport adds to a request. Target (issue 17): at"
		echo "most 1.05."
		echo
		echo "| request | wrapped/bare | added allocs/op | ns/op (the pair) |"
		echo "| --- | ---: | ---: | ---: |"
		for v in "BenchmarkTransport no-cors GET (CORP same-site)" "BenchmarkTransportSameOrigin same-origin GET" "BenchmarkTransportCORS cors GET" "BenchmarkTransportRedirect a redirect, then the no-cors GET"; do
			n=${v%% *}
			echo "| ${v#* } | $(median "$n" wrapped/bare) | $(median "$n" added-allocs/op) | $(median "$n" ns/op) |"
		done
	fi
	echo
	echo "## ORB's script step"
	echo
	if [ -n "$script_note" ]; then
		echo "$script_note"
	else
		echo "\`BenchmarkORBScript\` (internal/jsscript/compare): does the body parse as a classic"
		echo "script? \`jsscript.Valid\` beside \`github.com/tdewolff/parse/v2/js\` (the"
		echo "parser it replaced) on the same bodies in the same run: real bundles from"
		echo "the npm registry (internal/jsscript/testdata/corpus.sh) and hostile"
		echo "shapes. cpu-MB/s is bytes per CPU second of the process; ${SCRIPT_COUNT:-3} rounds,"
		echo "medians. Targets (issue 17): 200 MB/s on real bundles, 100 MB/s on the"
		echo "worst shape. On the nested shapes (arrays, blocks, objects, parens)"
		echo "tdewolff's parser gives up at depth 1,000: its figure there is the time"
		echo "it takes to fail, not to parse."
		echo
		echo "| body | jsscript cpu-MB/s | allocs/op | tdewolff cpu-MB/s |"
		echo "| --- | ---: | ---: | ---: |"
		grep -o 'BenchmarkORBScript/jsscript/[^ ]*' "$work/script.txt" | sed 's/-[0-9]*$//' | sort -u | while read -r n; do
			body=${n#BenchmarkORBScript/jsscript/}
			echo "| $body | $(median "$n" cpu-MB/s) | $(median "$n" allocs/op) | $(median "BenchmarkORBScript/tdewolff/$body" cpu-MB/s) |"
		done
	fi
	echo
	echo "## Scale"
	echo
	echo "\`XORIGIN_SCALE=1 go test -run TestScale -v ./enforce\`: decisions from"
	echo "strings over generated hosts under the public suffix list, from"
	echo "GOMAXPROCS goroutines sharing the default engine (its verdicts sampled"
	echo "against an engine without a cache):"
	echo
	sed 's/^/- /' "$work/scale.txt"
	echo
	echo "## benchstat"
	echo
	echo '```'
	cat "$work/stat.txt"
	echo '```'
	echo
	echo "## Raw results"
	echo
	echo '<details><summary>go test -bench output</summary>'
	echo
	echo '```'
	cat "$work/bench.txt"
	echo '```'
	echo
	echo '</details>'
} >"$out"
echo "bench.sh: wrote $out" >&2
