#!/bin/bash
# Makes the schema fixtures of tests/test_schema_upgrade.cpp with each schema version's OWN programs:
# for every version below, the last commit that had it is extracted (git archive), built in its own
# folder, and its `accueil` (and `accueil-sync` where it existed) writes a small event store. Run from
# anywhere inside the repository; re-running rebuilds nothing already built and rewrites the fixtures.
#
#   tests/data/schema/make-fixtures.sh [VERSION...]      (default: every version below)
#
# Writes, for each version N: vN.db (the event's central store), vN-kiosk.db (a kiosk joined to it,
# where that version had sync) and vN.stats.json (what that version's `accueil stats --json` said).
# Needs the build dependencies of deploy/install-deps.sh, sqlite3 and curl. WORK (default /tmp) holds
# the old source trees and builds: /tmp/accueil-vN.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
work=${WORK:-/tmp}

# fixture -> the commit that makes it: for each version, the last commit whose shared/schema.cpp stopped
# at that version (see README.md here); "N-<commit>" is an earlier state of version N kept as well.
declare -A commit=(
    [1]=aa1d46384feb611c1996a3b2534700575795291f # Foundation (its CLI did not link: v1-missing-commands.cpp)
    [3]=fc532a103a882f6ddf7aaa39a94c3574ff144913 # Bench: kiosk figures (the commit before schema 4)
    [4]=4915b731b209c56e53e0b2f10e1a62beb0622412 # Review clean-ups (the commit before schema 5)
    [5]=0123d63a32c04cbf52f6f3f04bbd4484444d2bc2 # Deps (issue 10) (the commit before schema 6)
    [6]=23710ac1f1ccc38f447cb617d9a4beb69431d77e # Organisers' page test (the commit before schema 7)
    [7]=4ac3d7050b633f0a2db890384a815b856ca5f82e # One atomic file writer (the commit before schema 8)
    # A schema 8 commit of issue 13, made while schema 9 was written (shared/schema.cpp did not change
    # between it and the commit before schema 9).
    [8]=69d85e4efb66a2096bd5d74a7ae71a407f00ec29
    [9]=f9e1f5e8355fa04729eb28cfae845776bbb1d1ad # The last commit of schema 9 (before the names index)
    # Schema 4 as first written: checkin_days had an `active` column until 7244ad7 edited the step.
    [4-0638c88]=0638c888b5dbe0ba9c81bb6511f816f0c11ab701
)

# The old trees are built without -Werror (newer compilers' warnings) and at -O0 (they only have to
# write a few rows); ccache, when present, shares the objects that did not change between versions.
build() {
    local v=$1 src=$work/accueil-v$1
    shift
    if [ ! -f "$src/CMakeLists.txt" ]; then
        mkdir -p "$src"
        git -C "$repo" archive "${commit[$v]}" | tar -x -C "$src"
        if [ "$v" = 1 ]; then cp "$here/v1-missing-commands.cpp" "$src/sync/cli/"; fi
    fi
    local launcher=()
    command -v ccache >/dev/null &&
        launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
    CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=true cmake -S "$src" -B "$src/build" "${launcher[@]}" \
        -DACCUEIL_WERROR=OFF -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O0 >/dev/null
    CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=true cmake --build "$src/build" -j2 --target "$@" >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Leaves the .db file complete on its own (the WAL checkpointed into it) and small: 1 KB pages instead
# of 4 KB (a page per table and index at least) and vacuumed. Only the file's layout changes: the
# schema and every row are the old program's, and it is back in WAL mode as the program left it.
finish_db() {
    sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; PRAGMA page_size=1024;
                  VACUUM; PRAGMA journal_mode=WAL;' >/dev/null
    [ ! -e "$1-wal" ]
}

make_version() {
    local v=$1 out=$work/accueil-v$1/fixture
    local sync=yes
    [ "${v%%-*}" = 1 ] && sync=no
    if [ $sync = yes ]; then build "$v" accueil accueil-sync; else build "$v" accueil; fi
    local bin=$work/accueil-v$v/build/bin A S
    A=$bin/accueil
    S=$bin/accueil-sync
    rm -rf "$out" && mkdir -p "$out"
    local db=$out/central.db kiosk=$out/kiosk.db
    export LANG=C.UTF-8 LC_ALL=C.UTF-8 # the English of the old programs (none before issue 12 spoke French)

    "$A" init --db "$db" --name "Numérique en Commun[s]" --days 2026-09-29,2026-09-30,2026-10-01 \
        --tz Europe/Paris
    "$A" import --db "$db" "$here/roster.csv"
    [ $sync = yes ] && "$A" keys init --db "$db" --label "fixture v$v"

    # Day 1 (2026-09-29) at the organisers' machine, named "Accueil 1".
    local t
    for t in T001:09:02 T002:09:05 T004:09:11 T005:09:17 T006:09:20 T009:09:31 T012:09:48 T016:10:05 \
        T019:10:40 T014:11:15; do
        "$A" checkin --db "$db" "${t%%:*}" --at "2026-09-29T${t#*:}:00" --kiosk "Accueil 1"
    done
    # A second scan of the same person (a duplicate), and an undo (T019 turned back at the door).
    "$A" checkin --db "$db" T002 --at 2026-09-29T12:30:00 --kiosk "Accueil 1" || true
    "$A" undo --db "$db" T019 --at 2026-09-29T12:40:00

    # The edit: a re-import where Inès Müller's e-mail and organisation and Zoé Lefèvre's category
    # changed (roster-edit.csv); then a reprinted badge (badge_version 2) where reprint existed.
    "$A" import --db "$db" "$here/roster-edit.csv"
    [ $sync = yes ] && "$A" reprint --db "$db" T007 --png "$out/reprint.png"

    # Where the version had sync, a kiosk "Accueil 2" joins the central server and takes the roster
    # before day 2 begins.
    local port pid code
    if [ $sync = yes ]; then
        port=$(free_port)
        "$S" serve --db "$db" --listen "127.0.0.1:$port" --insecure >"$out/serve.log" 2>&1 &
        pid=$!
        for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
        code=$("$S" enroll --db "$db" --name "Accueil 2" --url "http://127.0.0.1:$port" \
            --png "$out/enrol.png" | grep -o 'accueil1:[^ "]*' | head -1)
        "$S" join "$code" --db "$kiosk"
        "$S" agent --db "$kiosk" --once
    fi

    # Day 2 (2026-09-30) at "Accueil 1".
    for t in T001:08:55 T003:09:03 T008:09:10 T013:09:14 T017:09:26; do
        "$A" checkin --db "$db" "${t%%:*}" --at "2026-09-30T${t#*:}:00" --kiosk "Accueil 1"
    done

    if [ $sync = yes ]; then
        # The kiosk, offline from the central's day 2 so far, scans three people (T003 again: a
        # duplicate across devices) and pushes; the central store merges them.
        for t in T010:09:40 T018:09:42 T003:10:15; do
            "$A" checkin --db "$kiosk" "${t%%:*}" --at "2026-09-30T${t#*:}:00" --kiosk "Accueil 2"
        done
        "$S" agent --db "$kiosk" --once
        kill -TERM "$pid"
        wait "$pid" || true
        finish_db "$kiosk"
        cp "$kiosk" "$here/v$v-kiosk.db"
    fi

    "$A" stats --db "$db" --json --at 2026-09-30T18:00:00 >"$here/v$v.stats.json"
    finish_db "$db"
    cp "$db" "$here/v$v.db"
    echo "v$v: $(du -k "$here/v$v.db" | cut -f1) KB from ${commit[$v]}"
}

versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(1 3 4 4-0638c88 5 6 7 8 9)
for v in "${versions[@]}"; do make_version "$v"; done
