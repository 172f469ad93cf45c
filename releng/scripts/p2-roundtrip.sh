#!/usr/bin/env bash
# The p2 round trip of ./apotheca test (step 4), also runnable alone: ./apotheca test --p2-only.
#
# Version 1 is what the reactor just built (releng/org.apotheca.site/target: the update site and the products).
# Version 2 is built from a clone of this commit with one changed bundle (org.apotheca.core), against version 1 as
# the baseline. Then, on copies of the version 1 server and workbench products (never on target/products):
#   - site v2 differs from site v1 exactly in the changed bundle and the features that include it, and every other
#     jar is byte for byte the published one;
#   - central and a headless node run v1; central stops; the node sells twice offline; the node stops;
#   - updates from broken sites (a missing artifact, truncated metadata, a folder that is no site, a folder that
#     does not exist, a refused http port) and from a site with another data model fail with one sentence each and
#     leave the installation byte-identical (profile states, bundles.info, config.ini, the bundle pool);
#   - the workbench copy is updated from a file: site with the optional feature installed, the server copy from the
#     same site served over http; the jars of v1 stay on disk; a running installation is not updated;
#   - central and the node run v2 (apotheca version), the offline sales are still pending and merge into central;
#   - both are rolled back, run v1 again without the optional plugin, and central still has the sales.
# Every process it starts is stopped on exit. Ports 4400-4499. Any mismatch ends it with one line saying what.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APOTHECA=$ROOT/apotheca
SITE_MODULE=$ROOT/releng/org.apotheca.site/target
PRODUCTS=$SITE_MODULE/products
OPTIONAL_FEATURE=org.apotheca.labels.feature
OPTIONAL_BUNDLE=org.apotheca.ui.labels
CHANGED_BUNDLE=org.apotheca.core
BARCODE=5000010000002 # sample product 0
CENTRAL_PORT=4410 CENTRAL_CONSOLE=4411 NODE_TILLS=4420 NODE_CONSOLE=4421 HTTP_PORT=4430 REFUSED_PORT=4499

say() { printf '[p2 round trip] %s\n' "$*" >&2; }
fail() { printf '[p2 round trip] FAILED: %s\n' "$*" >&2; exit 1; }

: "${JAVA_HOME:?JAVA_HOME must name a JDK 21+ (./apotheca test sets it)}"
T0=$SECONDS
T=$(mktemp -d "${TMPDIR:-/tmp}/apotheca-p2.XXXXXX")
LOGS=$T/logs
mkdir -p "$LOGS"

# ---------------------------------------------------------------------------------------------------------------
# Processes: every one started here is remembered and stopped at exit, wrappers and their java children alike.
PIDS=()
cleanup() {
  local rc=$? pid f cmd
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  # a java child whose wrapper went first: found by the launcher path under this run's own folder
  for f in /proc/[0-9]*/cmdline; do
    cmd=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
    if [[ $cmd == *"-jar $T/"*"/plugins/org.eclipse.equinox.launcher_"* ]]; then pid=${f#/proc/}; kill "${pid%/cmdline}" 2>/dev/null || true; fi
  done
  if [[ $rc -ne 0 ]]; then
    say "logs kept in $LOGS"
  elif [[ -z ${APOTHECA_P2_KEEP:-} ]]; then
    rm -rf "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget() { local p keep=(); for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done; PIDS=("${keep[@]}"); }

# ---------------------------------------------------------------------------------------------------------------
# Consoles

"$JAVA_HOME/bin/javac" -d "$T/console" "$ROOT/releng/scripts/Console.java"
console() { "$JAVA_HOME/bin/java" -cp "$T/console" Console --timeout 30 --port "$1" "$2" 2>&1; }

# Waits until the console's reply to CMD matches the pattern; prints the reply.
await() { # port cmd extended-regex seconds what
  local out= deadline=$(( SECONDS + $4 ))
  while (( SECONDS < deadline )); do
    out=$(console "$1" "$2" || true)
    if grep -qE "$3" <<<"$out"; then printf '%s\n' "$out"; return 0; fi
    sleep 0.5
  done
  fail "$5: '$2' on port $1 did not answer /$3/ within $4 s; last answer: $(tr '\n' ' ' <<<"$out" | cut -c1-400)"
}

wait_free() { # port
  local i
  for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 0; sleep 0.1; done
  fail "port $1 is still in use (another Apotheca or an earlier run?)"
}

CENTRAL_PID= NODE_PID=
start_central() { # label
  wait_free "$CENTRAL_PORT"; wait_free "$CENTRAL_CONSOLE"
  APOTHECA_STATE=$T/state "$APOTHECA" server --home "$T/server" --config "$T/state/server.properties" >"$LOGS/central-$1.log" 2>&1 &
  CENTRAL_PID=$!; PIDS+=("$CENTRAL_PID")
  await "$CENTRAL_CONSOLE" "apotheca status" '^status server=RUNNING' 120 "central ($1) did not start (log: $LOGS/central-$1.log)" >/dev/null
}
start_node() { # label
  wait_free "$NODE_TILLS"; wait_free "$NODE_CONSOLE"
  APOTHECA_STATE=$T/state "$APOTHECA" site --home "$T/client" --config "$T/state/site.properties" >"$LOGS/node-$1.log" 2>&1 &
  NODE_PID=$!; PIDS+=("$NODE_PID")
}
stop() { # pid name
  kill "$1" 2>/dev/null || true
  local rc=0; wait "$1" 2>/dev/null || rc=$?
  forget "$1"
  [[ $rc -eq 0 || $rc -eq 143 ]] || fail "$2 exited with $rc when stopped"
}

# "bundle org.apotheca.core 1.0.0.x" and friends from 'apotheca version'.
version_of() { sed -n "s/^$2 $3 //p" <<<"$1" | tr -d '\r' | sed -n 1p; }
expect_version() { # port label bundle-version optional(yes|no)
  local out; out=$(await "$1" "apotheca version" '^product=' 60 "$2: no version report")
  local core; core=$(version_of "$out" bundle "$CHANGED_BUNDLE")
  [[ $core == "$3" ]] || fail "$2 runs $CHANGED_BUNDLE '$core', expected $3 ($(tr '\n' ' ' <<<"$out" | cut -c1-300))"
  local opt; opt=$(version_of "$out" optional "$OPTIONAL_BUNDLE")
  if [[ $4 == yes && -z $opt ]]; then fail "$2 does not run the optional $OPTIONAL_BUNDLE after it was installed"; fi
  if [[ $4 == no && -n $opt ]]; then fail "$2 runs the optional $OPTIONAL_BUNDLE $opt, which it should not have"; fi
  say "$2: $(grep -E '^product=' <<<"$out" | tr -d '\r'), $CHANGED_BUNDLE $core${opt:+, optional $OPTIONAL_BUNDLE $opt}"
}

# ---------------------------------------------------------------------------------------------------------------
# Installations

update() { "$APOTHECA" update "$@"; }

# What a failed update must leave as it was.
fingerprint() { # installation
  local states; states=$(compgen -G "$1/p2/org.eclipse.equinox.p2.engine/profileRegistry/*.profile" | sed -n 1p)
  (cd "$1" && {
    echo "== profile states"; (cd "$states" && sha256sum -- *.profile.gz)
    echo "== configuration"; sha256sum configuration/org.eclipse.equinox.simpleconfigurator/bundles.info configuration/config.ini artifacts.xml
    echo "== plugins"; ls -1 plugins
    echo "== features"; ls -1 features
  })
}

# An update that must fail: non-zero, the expected sentence, the installation byte-identical.
expect_refused() { # installation what message-regex update-args...
  local inst=$1 what=$2 re=$3; shift 3
  fingerprint "$inst" >"$T/fp.before"
  local out rc=0
  out=$(update --home "$inst" "$@" 2>&1) || rc=$?
  [[ $rc -ne 0 ]] || fail "$what: the update succeeded (exit 0): $out"
  grep -qE "$re" <<<"$out" || fail "$what: expected a message matching /$re/, got: $out"
  ! grep -qE 'Exception|\bat [a-z]+\.[a-z]+\.' <<<"$out" || fail "$what: the message shows a stack trace or class name: $out"
  fingerprint "$inst" >"$T/fp.after"
  diff -u "$T/fp.before" "$T/fp.after" >"$T/fp.diff" || fail "$what: the installation changed although the update failed: $(head -c 600 "$T/fp.diff")"
  say "refused as expected ($what): $(grep -m1 -E "$re" <<<"$out" | sed 's/^\[apotheca\] error: //')"
}

roots() { update --home "$1" --history | sed -n '/(current)$/p'; }

# ---------------------------------------------------------------------------------------------------------------
# Version 1

V1_SITE=$SITE_MODULE/repository
V1_SERVER=$PRODUCTS/org.apotheca.server.product/linux/gtk/x86_64/apotheca-server
V1_CLIENT=$PRODUCTS/org.apotheca.client.product/linux/gtk/x86_64/apotheca-client
for f in "$V1_SITE/content.jar" "$V1_SERVER/configuration/config.ini" "$V1_CLIENT/configuration/config.ini"; do
  [[ -f $f ]] || fail "version 1 is not built ($f is missing): run ./apotheca build first"
done
compgen -G "$V1_SITE/features/${OPTIONAL_FEATURE}_*.jar" >/dev/null || fail "the update site has no $OPTIONAL_FEATURE (category optional)"

# A qualifier is the time of the last commit touching a module, or the build time for a module with uncommitted
# changes; version 2 is built from a clean clone, so version 1 must come from committed sources too.
DIRTY=$(git -C "$ROOT" status --porcelain -- bundles features releng/org.apotheca.site pom.xml targetplatform | sed -n 1p)
HEAD=$(git -C "$ROOT" rev-parse HEAD)

mvn_site() { # source-dir log [maven args]
  local src=$1 log=$2; shift 2
  local modules; modules=$(sed -n 's#.*<module>\(tests/[^<]*\)</module>.*#!\1#p' "$src/pom.xml" | paste -sd, -)
  (cd "$src" && ./mvnw -B -ntp -q -o verify -DskipTests -pl "$modules,!bundles/org.apotheca.bench" "$@") >"$log" 2>&1
}

clone_at_head() { # dir
  git clone -q "$ROOT" "$1" && git -C "$1" -c advice.detachedHead=false checkout -q "$HEAD"
}

if [[ -n $DIRTY ]]; then
  say "uncommitted changes ($DIRTY ...): version 1 is built from a clone of $HEAD too"
  clone_at_head "$T/v1src"
  mvn_site "$T/v1src" "$LOGS/build-v1.log" || { tail -n 30 "$LOGS/build-v1.log" >&2; fail "version 1 did not build (log: $LOGS/build-v1.log)"; }
  V1_SITE=$T/v1src/releng/org.apotheca.site/target/repository
  V1_SERVER=$T/v1src/releng/org.apotheca.site/target/products/org.apotheca.server.product/linux/gtk/x86_64/apotheca-server
  V1_CLIENT=$T/v1src/releng/org.apotheca.site/target/products/org.apotheca.client.product/linux/gtk/x86_64/apotheca-client
fi

cp -r "$V1_SITE" "$T/site-v1"
cp -a "$V1_SERVER" "$T/server"
cp -a "$V1_CLIENT" "$T/client"
V1_CORE=$(cd "$T/site-v1/plugins" && compgen -G "${CHANGED_BUNDLE}_*.jar" | sed "s/^${CHANGED_BUNDLE}_//; s/\.jar$//")
[[ $V1_CORE =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]{12}$ ]] || fail "site v1 has $CHANGED_BUNDLE '$V1_CORE', not one version with a commit-time qualifier"

# Version 2, built in the background while version 1 runs: one changed bundle, committed, site v1 as the baseline.
build_v2() {
  clone_at_head "$T/v2src"
  printf '\n// p2 round trip: version 2 of this bundle\n' >>"$T/v2src/bundles/$CHANGED_BUNDLE/src/org/apotheca/core/ApothecaModel.java"
  # the commit must be later than version 1's newest qualifier (minute resolution)
  git -C "$T/v2src" -c user.name=p2-roundtrip -c user.email=p2@apotheca.invalid commit -qam "p2 round trip: version 2" \
    --date="$(date -u -d '+1 minute' '+%Y-%m-%dT%H:%M:%SZ')"
  mvn_site "$T/v2src" "$LOGS/build-v2.log" "-Dapotheca.baseline=file:$T/site-v1"
}
BUILD_T0=$SECONDS
build_v2 &
BUILD_PID=$!; PIDS+=("$BUILD_PID")
say "building version 2 in the background (log: $LOGS/build-v2.log)"

# ---------------------------------------------------------------------------------------------------------------
# Version 1 runs; offline sales

mkdir -p "$T/state"
printf 'server.host=127.0.0.1\nserver.port=%s\nconsole.port=%s\ndata.dir=central\nsites=0001\nsample.products=20\ndemo.users=false\n' \
  "$CENTRAL_PORT" "$CENTRAL_CONSOLE" >"$T/state/server.properties"
printf 'site.id=0001\ndata.dir=site-0001\ncentral=127.0.0.1:%s\ntills=127.0.0.1:%s\nconsole.port=%s\nretry.seconds=1\nsample.stock=0\n' \
  "$CENTRAL_PORT" "$NODE_TILLS" "$NODE_CONSOLE" >"$T/state/site.properties"

export APOTHECA_SERVER_HOME=$T/server APOTHECA_CLIENT_HOME=$T/client
start_central v1
out=$(console "$CENTRAL_CONSOLE" "apotheca site enroll 0001 --out $T/state/enroll-0001.p12" | grep '^enrolled ' || true)
[[ -n $out ]] || fail "central did not enroll pharmacy 0001"
APOTHECA_ENROLL_PASSWORD=$(sed -n 's/.* password=\([^ ]*\).*/\1/p' <<<"$out") "$APOTHECA" site --home "$T/client" \
  --config "$T/state/site.properties" --enroll "$T/state/enroll-0001.p12" >"$LOGS/enroll.log" 2>&1 || fail "the node was not enrolled (log: $LOGS/enroll.log)"
start_node v1
await "$NODE_CONSOLE" "apotheca status" 'ready=yes' 180 "the v1 node did not get ready (log: $LOGS/node-v1.log)" >/dev/null
expect_version "$CENTRAL_CONSOLE" "central v1" "$V1_CORE" no
expect_version "$NODE_CONSOLE" "node v1" "$V1_CORE" no
console "$NODE_CONSOLE" "apotheca receive $BARCODE 30 LOT-A 2030-01-31" | grep -q '^receiv' || fail "the node did not receive stock: $(console "$NODE_CONSOLE" "apotheca receive $BARCODE 1 LOT-B 2030-01-31")"
await "$CENTRAL_CONSOLE" "apotheca sales 0001" '^sales site=0001 count=0 ' 30 "central's sales before the outage" >/dev/null

stop "$CENTRAL_PID" "central v1"
await "$NODE_CONSOLE" "apotheca status" 'state=OFFLINE' 60 "the node did not notice central was gone" >/dev/null
for i in 1 2; do
  out=$(console "$NODE_CONSOLE" "apotheca sell $BARCODE 1")
  grep -q 'offline=yes' <<<"$out" || fail "offline sale $i was not taken offline: $out"
done
await "$NODE_CONSOLE" "apotheca status" 'pending=2 ' 30 "two offline sales pending" >/dev/null
say "node v1 sold twice while central was down: pending=2"
stop "$NODE_PID" "node v1"

# ---------------------------------------------------------------------------------------------------------------
# Broken sites that need no version 2 (while it builds)

expect_refused "$T/server" "a folder that does not exist" "does not exist; nothing was changed" --repo "$T/no-such-site"
mkdir -p "$T/not-a-site/plugins"
expect_refused "$T/server" "a folder that is no update site" "is not a p2 update site" --repo "file:$T/not-a-site"
wait_free "$REFUSED_PORT"
expect_refused "$T/server" "a refused http port" "cannot reach http://127.0.0.1:$REFUSED_PORT/site" --repo "http://127.0.0.1:$REFUSED_PORT/site"
cp -r "$T/site-v1" "$T/site-truncated"
for f in content.jar content.xml.xz; do truncate -s $(( $(stat -c %s "$T/site-truncated/$f") / 2 )) "$T/site-truncated/$f"; done
expect_refused "$T/server" "truncated metadata (content.jar, content.xml.xz)" "cannot be read as an update site" --repo "$T/site-truncated"

# ---------------------------------------------------------------------------------------------------------------
# Site v2: only what changed has a new version

rc=0; wait "$BUILD_PID" || rc=$?; forget "$BUILD_PID"
[[ $rc -eq 0 ]] || { tail -n 30 "$LOGS/build-v2.log" >&2; fail "version 2 did not build (log: $LOGS/build-v2.log)"; }
say "version 2 built in $(( SECONDS - BUILD_T0 )) s (offline, without tests, in the background)"
cp -r "$T/v2src/releng/org.apotheca.site/target/repository" "$T/site-v2"
V2_CORE=$(cd "$T/site-v2/plugins" && compgen -G "${CHANGED_BUNDLE}_*.jar" | sed "s/^${CHANGED_BUNDLE}_//; s/\.jar$//")
[[ $V2_CORE != "$V1_CORE" && $(printf '%s\n%s\n' "$V1_CORE" "$V2_CORE" | sort | tail -n 1) == "$V2_CORE" ]] \
  || fail "site v2 has $CHANGED_BUNDLE '$V2_CORE', not a version newer than v1's $V1_CORE"
changed=$(for d in plugins features; do
  comm -13 <(ls "$T/site-v1/$d") <(ls "$T/site-v2/$d") | sed 's/_[0-9][^_]*\.jar$//'
done | sort | paste -sd' ' -)
expected=$( (echo "$CHANGED_BUNDLE"; grep -l "id=\"$CHANGED_BUNDLE\"" "$ROOT"/features/*/feature.xml | xargs -n1 dirname | xargs -n1 basename) | sort | paste -sd' ' -)
[[ $changed == "$expected" ]] || fail "site v2 has new versions of [$changed], expected exactly [$expected] (the changed bundle and the features that include it)"
for d in plugins features binary; do
  for f in $(comm -12 <(ls "$T/site-v1/$d") <(ls "$T/site-v2/$d")); do
    cmp -s "$T/site-v1/$d/$f" "$T/site-v2/$d/$f" || fail "site v2's $d/$f has the version of v1 but other bytes (the baseline did not replace it)"
  done
done
gone=$(for d in plugins features; do comm -23 <(ls "$T/site-v1/$d") <(ls "$T/site-v2/$d"); done | paste -sd' ' -)
say "site v2: new versions of $changed only ($V1_CORE -> $V2_CORE); every other artifact byte-identical to v1's; replaced: $gone"

# ---------------------------------------------------------------------------------------------------------------
# Broken sites that need version 2; a model change; a running installation

cp -r "$T/site-v2" "$T/site-missing"
rm "$T/site-missing/plugins/${CHANGED_BUNDLE}_$V2_CORE.jar"
expect_refused "$T/server" "an artifact missing from the site" "^\[apotheca\] error: update failed: .*the installation was not changed" --repo "$T/site-missing"

cp -r "$T/site-v2" "$T/site-model"
model_jar=$(compgen -G "$T/site-model/plugins/org.apotheca.model_*.jar" | sort | tail -n 1)
mkdir -p "$T/manifest/META-INF"
unzip -p "$model_jar" META-INF/MANIFEST.MF | tr -d '\r' | sed '/^$/d' >"$T/manifest/META-INF/MANIFEST.MF"
schema=$(sed -n 's/^Apotheca-Model-Schema: *//p' "$T/manifest/META-INF/MANIFEST.MF"); schema=${schema:-1}
sed -i -e '/^Apotheca-Model-Schema:/d' -e '/^Apotheca-Model-Migrates-From:/d' "$T/manifest/META-INF/MANIFEST.MF"
printf 'Apotheca-Model-Schema: %s\n\n' $(( schema + 1 )) >>"$T/manifest/META-INF/MANIFEST.MF"
(cd "$T/manifest" && zip -q "$model_jar" META-INF/MANIFEST.MF)
expect_refused "$T/client" "a site with another data model and no migration" \
  "update refused: .* changes the data model \(schema $schema -> $(( schema + 1 ))\) and has no migration" --repo "$T/site-model" --install "$OPTIONAL_FEATURE"

expect_refused "$T/client" "an optional feature the site does not have" "org.apotheca.no.such.feature is not in" \
  --repo "$T/site-v2" --install org.apotheca.no.such.feature

# ---------------------------------------------------------------------------------------------------------------
# Update: the workbench from a file: site with the optional feature, the server over http

update --home "$T/client" --repo "file:$T/site-v2" --install "$OPTIONAL_FEATURE" 2>&1 | tee "$LOGS/update-client.log" >&2 \
  || fail "the workbench was not updated (log: $LOGS/update-client.log)"
"$JAVA_HOME/bin/jwebserver" -b 127.0.0.1 -p "$HTTP_PORT" -d "$T/site-v2" >"$LOGS/http.log" 2>&1 &
HTTP_PID=$!; PIDS+=("$HTTP_PID")
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null && break; sleep 0.1; done
update --home "$T/server" --repo "http://127.0.0.1:$HTTP_PORT/" 2>&1 | tee "$LOGS/update-server.log" >&2 \
  || fail "the server was not updated over http (log: $LOGS/update-server.log)"
stop "$HTTP_PID" "the http server"
grep -q "GET /plugins/${CHANGED_BUNDLE}_$V2_CORE.jar" "$LOGS/http.log" || fail "the server's new $CHANGED_BUNDLE did not come over http"
for inst in server client; do
  [[ -f $T/$inst/plugins/${CHANGED_BUNDLE}_$V1_CORE.jar ]] || fail "the $inst update deleted version 1's $CHANGED_BUNDLE jar (p2's garbage collector ran): no rollback without the old site"
  grep -q "^$CHANGED_BUNDLE,$V2_CORE,plugins/" "$T/$inst/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" \
    || fail "the $inst's bundles.info does not list $CHANGED_BUNDLE $V2_CORE from its own plugins/"
done
roots "$T/client" | grep -q "$OPTIONAL_FEATURE" || fail "the workbench's profile has no $OPTIONAL_FEATURE root after --install"

# ---------------------------------------------------------------------------------------------------------------
# Version 2 runs: the pending sales merge

start_central v2
expect_version "$CENTRAL_CONSOLE" "central v2" "$V2_CORE" no
expect_refused "$T/server" "an installation that is running" "is running \(process" --rollback
start_node v2
await "$NODE_CONSOLE" "apotheca status" 'ready=yes' 180 "the v2 node did not get ready (log: $LOGS/node-v2.log)" >/dev/null
expect_version "$NODE_CONSOLE" "node v2" "$V2_CORE" yes
await "$NODE_CONSOLE" "apotheca status" 'state=ONLINE pending=0 ' 120 "the offline sales did not merge after the update" >/dev/null
await "$CENTRAL_CONSOLE" "apotheca sales 0001" '^sales site=0001 count=2 ' 60 "central does not have the two offline sales" >/dev/null
say "after the update the node merged the 2 offline sales into central"
stop "$NODE_PID" "node v2"
stop "$CENTRAL_PID" "central v2"

# ---------------------------------------------------------------------------------------------------------------
# Rollback: version 1 runs again, the data stays

update --home "$T/client" --rollback 2>&1 | tee "$LOGS/rollback-client.log" >&2 || fail "the workbench was not rolled back"
update --home "$T/server" --rollback 2>&1 | tee "$LOGS/rollback-server.log" >&2 || fail "the server was not rolled back"
for inst in server client; do
  diff <(grep -v '^#' "$(eval echo "\$V1_${inst^^}")/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info") \
       <(grep -v '^#' "$T/$inst/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info") >"$T/bi.diff" \
    || fail "the $inst's bundles.info after the rollback is not version 1's: $(head -c 600 "$T/bi.diff")"
done
roots "$T/client" | grep -q "$OPTIONAL_FEATURE" && fail "the workbench still has $OPTIONAL_FEATURE after the rollback"
start_central v1-again
expect_version "$CENTRAL_CONSOLE" "central rolled back" "$V1_CORE" no
start_node v1-again
await "$NODE_CONSOLE" "apotheca status" 'ready=yes' 180 "the rolled-back node did not get ready (log: $LOGS/node-v1-again.log)" >/dev/null
expect_version "$NODE_CONSOLE" "node rolled back" "$V1_CORE" no
await "$CENTRAL_CONSOLE" "apotheca sales 0001" '^sales site=0001 count=2 ' 30 "central lost sales over the rollback" >/dev/null
await "$NODE_CONSOLE" "apotheca sales" '^sales site=0001 count=2 ' 30 "the node lost sales over the rollback" >/dev/null
stop "$NODE_PID" "node rolled back"
stop "$CENTRAL_PID" "central rolled back"
say "passed in $(( SECONDS - T0 )) s"
