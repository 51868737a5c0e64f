#!/usr/bin/env bash
# Builds the FerretDB server of tools/ferretdb with two fixes to FerretDB
# 1.24.2's SQLite backend, made in a vendored copy under the build directory
# (the module cache and this repository hold FerretDB's code unchanged):
#  - it looks documents up by `_ferretdb_sjson->'$._id'` while its unique _id
#    index is on `_ferretdb_sjson->"_id"`; SQLite only uses an index for the
#    expression it was built on, so every lookup by _id scanned the table;
#  - it hands an _id condition to SQLite only when the filter has no other
#    field, so `{_id, version}` (an optimistic-concurrency update) scanned
#    too. FerretDB still applies the whole filter to what SQLite returns;
#  - its update command defers closing each statement's read until the whole
#    command ends, and each open read holds one of the 100 connections of the
#    database's pool: a bulk of 100 updates (or fewer on several collections
#    at once) waits forever for a connection it holds itself. Each read is
#    closed once its statement is done;
#  - its leak tracker records a stack trace in a pprof profile for every
#    iterator and transaction it opens (7 % of the server's CPU under load)
#    and panics the server when one is collected unclosed; it is turned off.
# Usage: build.sh <build directory> <output binary>
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$1
out=$2

rm -rf "$work"
mkdir -p "$work" "$(dirname "$out")"
cp "$src"/*.go "$src/go.mod" "$src/go.sum" "$work/"
cd "$work"
go mod vendor
sqlite=vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite

fix() { # file, sed program, text the result must contain
  local before
  before=$(cksum <"$1")
  sed -i "$2" "$1"
  if [[ $(cksum <"$1") == "$before" ]] || ! grep -qF -- "$3" "$1"; then
    echo "build.sh: $1 did not change as expected (another FerretDB version?)" >&2
    exit 1
  fi
}
fix "$sqlite/metadata/metadata.go" \
  "s|IDColumn = DefaultColumn + \"->'\\\$._id'\"|IDColumn = DefaultColumn + \"->'_id'\"|" \
  "IDColumn = DefaultColumn + \"->'_id'\""
fix "$sqlite/collection.go" \
  's|if params.Filter.Len() == 1 {|if params.Filter.Len() >= 1 {|' \
  'if params.Filter.Len() >= 1 {'

fix vendor/github.com/FerretDB/FerretDB/internal/handler/msg_update.go \
  '/^\t\tdefer closer.Close()$/d; s|^\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)$|&\n\t\tcloser.Close() // this statement is done with its read|' \
  'closer.Close() // this statement is done with its read'

resource=vendor/github.com/FerretDB/FerretDB/internal/util/resource/resource.go
for f in Track Untrack; do
  fix "$resource" \
    "s|^func $f(obj any, token \*Token) {\$|func $f(obj any, token *Token) {\n\tif trackingOff {\n\t\treturn\n\t}|" \
    "func $f(obj any, token *Token) {"
done
printf '\n// trackingOff is set by tools/ferretdb/build.sh.\nconst trackingOff = true\n' >>"$resource"

go build -mod=vendor -o "$out" .
