#!/bin/sh
# corpus.sh fetches the real-script corpus the differential test and the
# benchmarks were measured on into $DIR (default /tmp/jsscript-corpus):
# fixed versions of npm packages, unpacked under $DIR/npm/x, beside the .js
# files Debian packages ship (/usr/share/javascript, /usr/share/nodejs,
# /usr/lib/node_modules: apt-get install nodejs npm libjs-jquery ... to
# widen it). Third-party sources stay out of the repository.
#
#	internal/jsscript/testdata/corpus.sh          # fetch, then run the corpus test
#	internal/jsscript/testdata/corpus.sh --bench  # print JSSCRIPT_BENCH for the benchmarks
#	internal/jsscript/testdata/corpus.sh --fetch  # fetch only (scripts/bench.sh)
set -eu
DIR=${DIR:-/tmp/jsscript-corpus}
PKGS="jquery@3.7.1 lodash@4.17.21 react-dom@18.3.1 react@18.3.1 vue@3.4.38 d3@7.9.0
moment@2.30.1 angular@1.8.3 bootstrap@5.3.3 three@0.167.1 chart.js@4.4.4 rxjs@7.8.1
typescript@5.5.4 @babel/standalone@7.25.6 acorn@8.12.1"
N=$DIR/npm/x
if [ "${1:-}" = "--bench" ]; then
	echo "$N/jquery-3.7.1/package/dist/jquery.min.js:$N/react-dom-18.3.1/package/umd/react-dom.production.min.js:$N/lodash-4.17.21/package/lodash.js:$N/typescript-5.5.4/package/lib/typescript.js"
	exit 0
fi
mkdir -p "$DIR/npm/x"
cd "$DIR/npm"
# shellcheck disable=SC2086
npm pack --silent $PKGS >/dev/null
for f in *.tgz; do
	d=x/${f%.tgz}
	mkdir -p "$d"
	tar xzf "$f" -C "$d"
done
if [ "${1:-}" = "--fetch" ]; then
	exit 0
fi
CORPUS=$N
for d in /usr/share/javascript /usr/share/nodejs /usr/lib/node_modules; do
	[ -d "$d" ] && CORPUS=$CORPUS:$d
done
cd "$(dirname "$0")/.."
JSSCRIPT_CORPUS=$CORPUS go test -run TestV8Corpus -v -timeout 30m .
