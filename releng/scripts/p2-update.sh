# shellcheck shell=bash
# ./apotheca update: updates, extends and rolls back an installed (stopped) workbench or server with the p2 director
# that the product itself carries. Sourced by ./apotheca, whose say/die/ensure_java it uses. docs/admin-guide.md
# explains the commands; the round trip is tested by releng/scripts/p2-roundtrip.sh.
#
# Why it looks the way it does:
# - The director runs from the installation's own jars but with a throw-away configuration area: the framework that
#   runs p2 then never reads the bundles.info and config.ini that p2 is rewriting, and the installation's p2 data
#   area is opened only as the director's target (-destination).
# - p2's garbage collector, on by default, deletes the jars of the previous state after every update, so a rollback
#   would need the old update site again. It reads its switch from the running configuration: the throw-away one
#   gets gc_enabled=false.
# - The director's bare -revert goes to the newest profile state, which is the current one. The state before each
#   change is therefore recorded in p2/apotheca-history and given to -revert by its timestamp.
# - One operation can write several profile states (the product build writes four), so "the previous state" is
#   never "the second newest file".

P2_PROFILE= P2_INSTALL= P2_STATES= P2_TMP= P2_LAUNCHER= P2_LOG= P2_ALLOW_HTTP= P2_JVM=() P2_CURL=()

p2_usage() {
  cat <<'EOF'
usage: ./apotheca update (--home DIR | --server | --client) --repo URL|DIR [--install FEATURE]... [--allow-http]
       ./apotheca update (--home DIR | --server | --client) --rollback [STATE] [--repo URL|DIR]
       ./apotheca update (--home DIR | --server | --client) --history
  --home DIR       the installation (an unpacked apotheca-server or apotheca-client; or APOTHECA_HOME);
                   --server / --client: this checkout's built products, or APOTHECA_SERVER_HOME / APOTHECA_CLIENT_HOME
  --repo URL|DIR   a p2 update site: a folder, file:/..., a zipped site, https://host/path or http://host/path;
                   with --rollback: where to fetch old jars that are no longer in the installation
  --install F      also install the feature F (e.g. org.apotheca.labels.feature) from the site (repeatable)
  --allow-http     fetch an http:// site as plain http (p2 otherwise asks for it over https)
  --rollback       go back to the state before the last update not rolled back yet; STATE: one from --history
  --history        the recorded updates and the installation's profile states
environment: APOTHECA_UPDATE_CA=<CA certificate, PEM> for an https site of your own CA;
             APOTHECA_UPDATE_JAVA_OPTS for the director's JVM; APOTHECA_KEEP_UPDATE_LOG=1 keeps the director's log
EOF
}

cmd_update() {
  local home= repo= rollback= state= history= installs=() allow_http=
  while [[ $# -gt 0 ]]; do
    case $1 in
      --home) [[ -n ${2:-} ]] || die "--home needs the installation folder"; home=$2; shift 2 ;;
      --server) home=$SERVER_HOME; shift ;;
      --client) home=$CLIENT_HOME; shift ;;
      --repo|--repository) [[ -n ${2:-} ]] || die "--repo needs an update site (a folder, file:/..., a .zip or http://...)"; repo=$2; shift 2 ;;
      --install) [[ -n ${2:-} ]] || die "--install needs a feature id (e.g. org.apotheca.labels.feature)"; installs+=("$2"); shift 2 ;;
      --rollback)
        rollback=1; shift
        if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then state=$1; shift; fi ;;
      --history) history=1; shift ;;
      --allow-http) allow_http=1; shift ;;
      -h|--help) p2_usage; return 0 ;;
      *) p2_usage >&2; die "update: unknown option $1" ;;
    esac
  done
  home=${home:-${APOTHECA_HOME:-}}
  [[ -n $home ]] || { p2_usage >&2; die "update: say which installation: --home DIR (an unpacked apotheca-server or apotheca-client), --server or --client"; }
  if [[ -n $history ]]; then
    [[ -z $repo$rollback && ${#installs[@]} -eq 0 ]] || die "update: --history only lists; give it alone"
  elif [[ -n $rollback ]]; then
    [[ ${#installs[@]} -eq 0 ]] || die "update: --rollback and --install do not go together (roll back first, then install)"
  else
    [[ -n $repo ]] || { p2_usage >&2; die "update: give the update site with --repo URL|DIR (or --rollback / --history)"; }
  fi
  [[ -z $allow_http || $repo == http://* ]] || die "update: --allow-http is only for an http:// site"
  # p2 turns http:// into https:// unless told otherwise (CVE-2021-41033: a plain-http site can be tampered with on
  # the way); plain http stays the admin's explicit choice.
  P2_JVM=(${APOTHECA_UPDATE_JAVA_OPTS:-})
  [[ -n $allow_http ]] && P2_JVM+=(-Dp2.httpRule=allow)
  P2_ALLOW_HTTP=$allow_http
  ensure_java
  P2_TMP=$(mktemp -d "${TMPDIR:-/tmp}/apotheca-update.XXXXXX")
  trap '[[ -n ${APOTHECA_KEEP_UPDATE_LOG:-} ]] || rm -rf "$P2_TMP"' EXIT
  p2_trust "${APOTHECA_UPDATE_CA:-}"
  p2_open_installation "$home"
  if [[ -n $history ]]; then p2_history; return 0; fi
  p2_refuse_if_running
  p2_lock
  P2_LOG=$P2_TMP/director.log
  if [[ -n $rollback ]]; then p2_rollback "$state" "$repo"; else p2_update "$repo" "${installs[@]}"; fi
}

# An https site whose certificate comes from an admin's own CA: APOTHECA_UPDATE_CA names the CA certificate (PEM),
# which both curl (the checks) and the director's JVM (the downloads) then trust, and only it.
p2_trust() { # pem or empty
  [[ -n $1 ]] || return 0
  [[ -f $1 ]] || die "update: APOTHECA_UPDATE_CA=$1: no such file"
  "$JAVA_HOME/bin/keytool" -importcert -noprompt -alias update-ca -file "$1" -keystore "$P2_TMP/trust.p12" \
    -storetype PKCS12 -storepass apotheca >/dev/null 2>&1 || die "update: APOTHECA_UPDATE_CA=$1 is not a certificate (PEM or DER)"
  P2_CURL+=(--cacert "$1")
  P2_JVM+=("-Djavax.net.ssl.trustStore=$P2_TMP/trust.p12" -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=apotheca)
}

# ---------------------------------------------------------------------------------------------------------------
# The installation

p2_open_installation() { # dir
  [[ -d $1 ]] || die "update: $1: no such folder"
  P2_INSTALL=$(cd "$1" && pwd -P)
  P2_LAUNCHER=$(compgen -G "$P2_INSTALL/plugins/org.eclipse.equinox.launcher_*.jar" | sed -n 1p || true)
  [[ -n $P2_LAUNCHER && -f $P2_INSTALL/configuration/config.ini ]] \
    || die "update: $P2_INSTALL is not an Apotheca installation (no plugins/org.eclipse.equinox.launcher_*.jar or configuration/config.ini)"
  local area; area=$(p2_ini eclipse.p2.data.area)
  [[ -z $area || ${area%/} == "@config.dir/../p2" ]] \
    || die "update: $P2_INSTALL keeps its p2 data in $area; only installations with their p2 data in p2/ (as built) can be updated"
  P2_PROFILE=$(p2_ini eclipse.p2.profile); P2_PROFILE=${P2_PROFILE:-DefaultProfile}
  P2_STATES=$P2_INSTALL/p2/org.eclipse.equinox.p2.engine/profileRegistry/$P2_PROFILE.profile
  compgen -G "$P2_STATES/*.profile.gz" >/dev/null \
    || die "update: $P2_INSTALL has no p2 profile ($P2_STATES is missing or empty); it was not installed by p2"
  grep -q '^org.eclipse.equinox.p2.director.app,' "$P2_INSTALL/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" 2>/dev/null \
    || die "update: $P2_INSTALL has no p2 director (it was built before updates were possible); install it once from a current product zip"
}

p2_ini() { sed -n "s/^$1=//p" "$P2_INSTALL/configuration/config.ini" | sed -n '$p' | sed 's/\\:/:/g'; }

# The newest profile state is the installation's current one.
p2_current_state() { (cd "$P2_STATES" && compgen -G '*.profile.gz' | sed 's/\.profile\.gz$//' | sort -n | sed -n '$p'); }
p2_states() { (cd "$P2_STATES" && compgen -G '*.profile.gz' | sed 's/\.profile\.gz$//' | sort -n); }
p2_state_date() { date -u -d "@$(( $1 / 1000 ))" '+%Y-%m-%d %H:%M:%S UTC'; }

# Roots of a profile state as "id version" lines (the features and products the admin installed).
p2_roots() { # state
  zcat "$P2_STATES/$1.profile.gz" | awk '
    /<iuProperties id=/ { match($0, /id=\x27[^\x27]*\x27/); id = substr($0, RSTART+4, RLENGTH-5)
                          match($0, /version=\x27[^\x27]*\x27/); v = substr($0, RSTART+9, RLENGTH-10) }
    /name=\x27org.eclipse.equinox.p2.type.root\x27 value=\x27true\x27/ { print id, v }'
}

# The version of one installable unit in a profile state (empty when it is not there).
p2_unit_version() { # state id
  zcat "$P2_STATES/$1.profile.gz" | awk -v want="$2" '
    /^ *<unit id=/ { match($0, /id=\x27[^\x27]*\x27/); id = substr($0, RSTART+4, RLENGTH-5)
                     if (id == want && !found) { match($0, /version=\x27[^\x27]*\x27/); print substr($0, RSTART+9, RLENGTH-10); found = 1 } }'
}

# Refuses while any process runs this installation (the workbench, a node, central, or an in-app update): p2 would
# rewrite the bundle list under it. The products always start from the launcher jar by its full path.
p2_refuse_if_running() {
  local f pid cmd pids=()
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    [[ $pid == "$$" ]] && continue
    cmd=$( { tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
    [[ $cmd == *"$P2_INSTALL/plugins/org.eclipse.equinox.launcher_"* ]] && pids+=("$pid")
  done
  [[ ${#pids[@]} -eq 0 ]] \
    || die "update: $P2_INSTALL is running (process ${pids[*]}); stop it first (the workbench, its node or central), then update"
}

# The lock is on the installation folder itself: a refused update leaves no file behind.
p2_lock() {
  exec 9<"$P2_INSTALL"
  flock -n 9 || die "update: another update of $P2_INSTALL is running"
}

# The director, from the installation's jars, in a throw-away configuration area (see the top of this file).
p2_director() { # director args...
  local cfg=$P2_TMP/configuration
  if [[ ! -d $cfg ]]; then
    mkdir -p "$cfg/.settings"
    sed -e '/^eclipse.application=/d' -e '/^eclipse.product=/d' -e 's#^eclipse.p2.data.area=.*#eclipse.p2.data.area=@config.dir/p2#' \
      "$P2_INSTALL/configuration/config.ini" >"$cfg/config.ini"
    cp -r "$P2_INSTALL/configuration/org.eclipse.equinox.simpleconfigurator" "$cfg/"
    printf 'eclipse.preferences.version=1\ngc_enabled=false\n' >"$cfg/.settings/org.eclipse.equinox.p2.garbagecollector.prefs"
  fi
  "$JAVA_HOME/bin/java" -Xmx512m "${P2_JVM[@]}" -jar "$P2_LAUNCHER" -configuration "$cfg" -data "$P2_TMP/workspace" -nosplash -consoleLog \
    -application org.eclipse.equinox.p2.director "$@" >"$P2_LOG" 2>&1
}

# The director's own reason in one line (its log has stack traces and status trees): a missing artifact by name,
# else the first error it logged, else the first line after its "failed".
p2_director_reason() {
  awk '
    !artifact && match($0, /Can.t download artifact [^ ]+/) {
      n = split(substr($0, RSTART + 23, RLENGTH - 23), p, ","); artifact = p[2] " " p[3] }
    /^!ENTRY [^ ]+ 4 / { error_entry = 1; next }
    /^!MESSAGE / { if (error_entry && first_error == "") first_error = substr($0, 10); error_entry = 0; next }
    /^(Installation|Operation) failed/ { after = 1; next }
    after && after_line == "" && /^[ \t]*[A-Z]/ && !/^[ \t]*(session context|Caused by)/ { after_line = $0; sub(/^[ \t]+/, "", after_line) }
    END {
      if (artifact != "") r = "the site lists " artifact " but does not deliver it"
      else if (first_error != "") r = first_error
      else r = after_line
      sub(/\.$/, "", r); print r
    }' "$P2_LOG" | sed 's/^$/the p2 director failed/'
}

# What must not change when an operation fails: profile states, bundle list, configuration, jars and features.
p2_fingerprint() {
  {
    ls "$P2_STATES"
    sha256sum "$P2_INSTALL/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" "$P2_INSTALL/configuration/config.ini"
    [[ -f $P2_INSTALL/artifacts.xml ]] && sha256sum "$P2_INSTALL/artifacts.xml"
    ls -l --time-style=+%s "$P2_INSTALL/plugins" "$P2_INSTALL/features"
  } | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------------------------------------------------------
# The update site

P2_REPO_URI= P2_REPO_KIND= P2_REPO_PATH=
# Turns what the admin typed into a URI for p2 and checks that something is there, with one sentence when not.
p2_open_repository() { # repo
  local r=$1 path
  case $r in
    https://*)
      P2_REPO_KIND=http; P2_REPO_URI=${r%/} ;;
    http://*)
      [[ -n $P2_ALLOW_HTTP ]] || die "update: p2 fetches $r over https (a plain-http site can be altered on the way to this machine); serve the site over https, or give --allow-http for a web server on your own network; nothing was changed"
      P2_REPO_KIND=http; P2_REPO_URI=${r%/} ;;
    file:*|/*|./*|../*|[A-Za-z0-9_]*)
      [[ $r == *://* && $r != file://* ]] && die "update: $r: only http://, https://, file: and folders are supported as update sites; nothing was changed"
      path=$r
      if [[ $path == file:* ]]; then path=${path#file:}; path=/${path##/}; path=${path/#\/\//\/}; fi
      path=${path%/}
      [[ -e $path ]] || die "update: $r does not exist; nothing was changed"
      path=$(cd "$(dirname "$path")" && pwd -P)/$(basename "$path")
      if [[ -f $path && $path == *.zip ]]; then
        P2_REPO_KIND=zip; P2_REPO_PATH=$path; P2_REPO_URI="jar:file:$path!/"
        unzip -Z1 "$path" 2>/dev/null | grep -qE '^(content\.(jar|xml|xml\.xz)|compositeContent\.(jar|xml))$' \
          || die "update: $r is not a zipped p2 update site (no content.jar, content.xml.xz or compositeContent.* at its top); nothing was changed"
      elif [[ -d $path ]]; then
        P2_REPO_KIND=dir; P2_REPO_PATH=$path; P2_REPO_URI="file:$path"
        p2_has_one_of "$path" content.jar content.xml content.xml.xz compositeContent.jar compositeContent.xml \
          || die "update: $r is not a p2 update site (no content.jar, content.xml.xz or compositeContent.* in it); nothing was changed"
        p2_has_one_of "$path" artifacts.jar artifacts.xml artifacts.xml.xz compositeArtifacts.jar compositeArtifacts.xml \
          || die "update: $r is not a complete p2 update site (no artifacts.jar, artifacts.xml.xz or compositeArtifacts.* in it); nothing was changed"
      else
        die "update: $r is neither a folder nor a .zip of an update site; nothing was changed"
      fi ;;
    *) die "update: $r: only http://, https://, file: and folders are supported as update sites; nothing was changed" ;;
  esac
  if [[ $P2_REPO_KIND == http ]]; then
    local f code err found=
    for f in p2.index content.jar content.xml.xz compositeContent.jar compositeContent.xml; do
      err=$P2_TMP/curl.err
      local rc=0
      code=$(curl "${P2_CURL[@]}" -sS -o /dev/null -w '%{http_code}' --connect-timeout 10 --max-time 30 "$P2_REPO_URI/$f" 2>"$err") || rc=$?
      if [[ $rc -eq 60 ]]; then
        die "update: $r has a certificate this machine does not trust ($(sed 's/^curl: ([0-9]*) //' "$err" | sed -n 1p)); for your own CA set APOTHECA_UPDATE_CA to its certificate; nothing was changed"
      elif [[ $rc -ne 0 ]]; then
        die "update: cannot reach $r ($(sed 's/^curl: ([0-9]*) //' "$err" | sed -n 1p)); nothing was changed"
      fi
      [[ $code == 200 ]] && { found=1; break; }
    done
    [[ -n $found ]] || die "update: $r is not a p2 update site (no p2.index, content.jar, content.xml.xz or compositeContent.* there, HTTP $code); nothing was changed"
  fi
}

p2_has_one_of() { local dir=$1 f; shift; for f in "$@"; do [[ -f $dir/$f ]] && return 0; done; return 1; }

# Copies one file of the site (a path inside it) to a local file; fails quietly when it is not there.
p2_fetch_from_repository() { # relative-path destination
  case $P2_REPO_KIND in
    dir) [[ -f $P2_REPO_PATH/$1 ]] && cp "$P2_REPO_PATH/$1" "$2" ;;
    zip) unzip -p "$P2_REPO_PATH" "$1" >"$2" 2>/dev/null && [[ -s $2 ]] ;;
    http) curl "${P2_CURL[@]}" -fsS --connect-timeout 10 --max-time 120 -o "$2" "$P2_REPO_URI/$1" 2>/dev/null ;;
  esac
}

# The highest version of an installable unit in the site listing (empty when absent).
p2_repo_version() { # listing id
  awk -F= -v want="$2" '$1 == want { print $2 }' "$1" | p2_sort_versions | sed -n '$p'
}

# OSGi order: major.minor.micro numerically, then the qualifier as text.
p2_sort_versions() { awk -F. '{ printf "%010d%010d%010d %s %s\n", $1, $2, $3, $4, $0 }' | sort | awk '{ print $NF }'; }
p2_newer() { [[ $1 != "$2" && $(printf '%s\n%s\n' "$1" "$2" | p2_sort_versions | sed -n '$p') == "$1" ]]; }

# ---------------------------------------------------------------------------------------------------------------
# The data model: an update must not bring a model the installation's data cannot be read with.

p2_model_schema_of_jar() { # jar; prints the schema number (1 when the header is absent: the models before the header)
  local v; v=$(unzip -p "$1" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed -n "s/^$2: *//p" | sed -n 1p)
  [[ $2 == Apotheca-Model-Schema && -z $v ]] && v=1
  echo "$v"
}

p2_installed_model_jar() {
  local line; line=$(grep '^org.apotheca.model,' "$P2_INSTALL/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" | sed -n 1p)
  [[ -n $line ]] && echo "$P2_INSTALL/$(cut -d, -f3 <<<"$line")"
}

p2_check_model() { # listing repo-as-typed
  local installed_jar v jar have want from
  installed_jar=$(p2_installed_model_jar)
  [[ -n $installed_jar && -f $installed_jar ]] || return 0
  v=$(p2_repo_version "$1" org.apotheca.model)
  [[ -n $v ]] || return 0
  jar=$P2_TMP/model.jar
  if ! p2_fetch_from_repository "plugins/org.apotheca.model_$v.jar" "$jar" && ! p2_fetch_from_composite_child "plugins/org.apotheca.model_$v.jar" "$jar"; then
    die "update: cannot read the data model of $2 (plugins/org.apotheca.model_$v.jar is not in it), so it cannot be checked against this installation's data; nothing was changed"
  fi
  have=$(p2_model_schema_of_jar "$installed_jar" Apotheca-Model-Schema)
  want=$(p2_model_schema_of_jar "$jar" Apotheca-Model-Schema)
  from=$(p2_model_schema_of_jar "$jar" Apotheca-Model-Migrates-From)
  [[ $have == "$want" ]] && return 0
  # Apotheca-Model-Migrates-From names the oldest schema whose data the new model migrates at its first start
  if [[ $have =~ ^[0-9]+$ && $want =~ ^[0-9]+$ && $from =~ ^[0-9]+$ ]] && (( from > 0 && from <= have && have < want )); then
    say "the update changes the data model (schema $have -> $want) and migrates data of schema $from and later: central and the node migrate their data at the next start"
    return 0
  fi
  die "update refused: $2 changes the data model (schema $have -> $want) and has no migration from schema $have; nothing was changed"
}

# Composite sites keep the jars in their children (local or http children only, one level).
p2_fetch_from_composite_child() { # relative-path destination
  local index=$P2_TMP/compositeArtifacts.xml child
  { p2_fetch_from_repository compositeArtifacts.xml "$index" \
      || { p2_fetch_from_repository compositeArtifacts.jar "$P2_TMP/ca.jar" && unzip -p "$P2_TMP/ca.jar" compositeArtifacts.xml >"$index"; }; } || return 1
  for child in $(sed -n "s/.*<child location=['\"]\([^'\"]*\)['\"].*/\1/p" "$index"); do
    case $child in
      http://*|https://*) curl "${P2_CURL[@]}" -fsS --max-time 120 -o "$2" "${child%/}/$1" 2>/dev/null && return 0 ;;
      file:*) [[ -f ${child#file:}/$1 ]] && cp "${child#file:}/$1" "$2" && return 0 ;;
      *) ( P2_REPO_PATH=${P2_REPO_PATH:+$P2_REPO_PATH/$child}; P2_REPO_URI=$P2_REPO_URI/$child; p2_fetch_from_repository "$1" "$2" ) && return 0 ;;
    esac
  done
  return 1
}

# ---------------------------------------------------------------------------------------------------------------
# History: one line per change, tab-separated: utc-date, action, state-before, state-after, site, undoes, summary.

p2_history_file() { echo "$P2_INSTALL/p2/apotheca-history"; }

p2_record() { # action before after site undoes summary
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$@" >>"$(p2_history_file)"
}

p2_history() {
  local file current ts
  file=$(p2_history_file); current=$(p2_current_state)
  echo "installation: $P2_INSTALL (profile $P2_PROFILE)"
  echo "updates recorded:"
  if [[ -s $file ]]; then
    awk -F'\t' '{ printf "  %s  %-8s %s -> %s  %s%s\n", $1, $2, $3, $4, $7, ($5 != "-" ? "  from " $5 : "") }' "$file"
  else
    echo "  none"
  fi
  echo "profile states (./apotheca update --home $P2_INSTALL --rollback STATE):"
  for ts in $(p2_states); do
    printf '  %s  %s  %s%s\n' "$ts" "$(p2_state_date "$ts")" \
      "$(p2_roots "$ts" | awk '{ sub(/\.feature\.group$/, "", $1); printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')" \
      "$([[ $ts == "$current" ]] && echo '  (current)')"
  done
}

# The state before the newest update that is not rolled back yet, and the state that update made.
p2_rollback_target() {
  local file; file=$(p2_history_file)
  [[ -s $file ]] || return 0
  tac "$file" | awk -F'\t' '
    done { next }
    $2 == "rollback" { undone[$6] = 1; next }
    !($4 in undone) { print $3, $4; done = 1 }'
}

# ---------------------------------------------------------------------------------------------------------------

p2_update() { # repo features...
  local repo=$1; shift
  local before listing roots id v newer uninstall=() install=() changes=() feature iu fp
  p2_open_repository "$repo"
  before=$(p2_current_state)
  say "reading $repo"
  listing=$P2_TMP/site.list
  if ! p2_director -repository "$P2_REPO_URI" -list; then
    die "update: $repo cannot be read as an update site ($(p2_director_reason)); nothing was changed"
  fi
  grep -E '^[^ =]+=[0-9]' "$P2_LOG" >"$listing" || true
  [[ -s $listing ]] || die "update: $repo is an empty update site; nothing was changed"
  p2_check_model "$listing" "$repo"
  roots=$(p2_roots "$before")
  while read -r id v; do
    [[ -n $id ]] || continue
    newer=$(p2_repo_version "$listing" "$id")
    if [[ -n $newer ]] && p2_newer "$newer" "$v"; then
      uninstall+=("$id/$v"); install+=("$id/$newer"); changes+=("${id%.feature.group} $v -> $newer")
    elif [[ -n $newer && $newer != "$v" ]]; then
      say "kept ${id%.feature.group} $v: the site has only the older $newer (./apotheca update --rollback goes back)"
    fi
  done <<<"$roots"
  for feature in "$@"; do
    iu=${feature%.feature.group}.feature.group
    if grep -q "^$iu " <<<"$roots"; then say "${feature%.feature.group} is installed already"; continue; fi
    newer=$(p2_repo_version "$listing" "$iu")
    if [[ -z $newer ]]; then
      die "update: ${feature%.feature.group} is not in $repo (features there: $(sed -n 's/\.feature\.group=.*//p' "$listing" | sort -u | paste -sd, - | sed 's/,/, /g')); nothing was changed"
    fi
    install+=("$iu/$newer"); changes+=("installed ${iu%.feature.group} $newer")
  done
  if [[ ${#install[@]} -eq 0 ]]; then
    say "$P2_INSTALL is up to date with $repo (state $before); nothing was changed"
    return 0
  fi
  local summary; summary=$(printf '%s; ' "${changes[@]}"); summary=${summary%; }
  p2_begin_change "$before"
  say "updating $P2_INSTALL from state $before: $summary"
  local args=(-destination "$P2_INSTALL" -profile "$P2_PROFILE" -repository "$P2_REPO_URI" -installIU "$(IFS=,; echo "${install[*]}")"
    -tag "apotheca-update-$(date -u +%Y%m%dT%H%M%SZ)")
  [[ ${#uninstall[@]} -gt 0 ]] && args+=(-uninstallIU "$(IFS=,; echo "${uninstall[*]}")")
  if ! p2_director "${args[@]}" || [[ $(p2_current_state) == "$before" ]]; then
    local reason; reason=$(p2_director_reason)
    p2_abort_change
    [[ $(p2_fingerprint) == "$P2_FINGERPRINT" ]] && die "update failed: $reason; the installation was not changed (state $before kept)"
    die "update failed: $reason; the installation was changed: go back with ./apotheca update --home $P2_INSTALL --rollback $before (log: $P2_LOG)"
  fi
  local after added
  after=$(p2_current_state)
  added=$( (cd "$P2_INSTALL" && ls -1 plugins features) | sort | comm -13 <(sort "$P2_TMP/keep/pool.list") - | grep -c . || true)
  # the site as an address that still means the same from another folder (a relative --repo would not)
  local site=$P2_REPO_URI
  [[ $P2_REPO_KIND == http ]] || site=$P2_REPO_PATH
  p2_record update "$before" "$after" "$site" - "$summary"
  say "updated: $summary; $added new bundles and features came from the site; state $before -> $after"
  say "the old state stays on disk: ./apotheca update --home $P2_INSTALL --rollback goes back to it"
}

# What an operation may touch is kept aside first, so that a failed one is undone completely. p2 undoes its own
# phases, but the director also rewrites the paths of a copied installation into new profile states before it plans
# (states that stay when the operation then fails), writes a trust preference, a tag file and the sites it was given
# into the installation's p2 folder, and leaves what it had downloaded. The whole p2 folder is small (~150 KB).
P2_FINGERPRINT=
p2_begin_change() { # states to relocate...
  local keep=$P2_TMP/keep s
  mkdir -p "$keep"
  (cd "$P2_INSTALL" && ls -1 plugins features) >"$keep/pool.list"
  cp -a "$P2_INSTALL/p2" "$keep/p2"
  cp -p "$P2_INSTALL/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" "$P2_INSTALL/configuration/config.ini" "$keep/"
  if [[ -f $P2_INSTALL/artifacts.xml ]]; then cp -p "$P2_INSTALL/artifacts.xml" "$keep/"; fi
  P2_FINGERPRINT=$(p2_fingerprint)
  for s in "$@"; do p2_relocate_state "$s"; done
}

p2_abort_change() {
  local keep=$P2_TMP/keep entry s f
  while read -r entry; do
    [[ -n $entry ]] && rm -rf "${P2_INSTALL:?}/plugins/$entry" "${P2_INSTALL:?}/features/$entry"
  done < <(cd "$P2_INSTALL" && ls -1 plugins features | sort | comm -13 <(sort "$keep/pool.list") -)
  rm -rf "${P2_INSTALL:?}/p2"
  cp -a "$keep/p2" "$P2_INSTALL/p2"
  for f in bundles.info config.ini artifacts.xml; do
    case $f in
      bundles.info) s=$P2_INSTALL/configuration/org.eclipse.equinox.simpleconfigurator/$f ;;
      config.ini) s=$P2_INSTALL/configuration/$f ;;
      *) s=$P2_INSTALL/$f ;;
    esac
    if [[ -f $keep/$f ]] && ! cmp -s "$keep/$f" "$s"; then cp -p "$keep/$f" "$s"; fi
  done
  return 0
}

p2_rollback() { # state-or-empty repo-or-empty
  local target=$1 repo=$2 undoes=- current pair
  current=$(p2_current_state)
  if [[ -z $target ]]; then
    pair=$(p2_rollback_target)
    [[ -n $pair ]] || die "update: nothing to roll back: no update of $P2_INSTALL is recorded that was not rolled back already (--history lists the states; --rollback STATE picks one)"
    target=${pair% *}; undoes=${pair#* }
  fi
  [[ -f $P2_STATES/$target.profile.gz ]] \
    || die "update: $P2_INSTALL has no profile state $target (--history lists them); nothing was changed"
  [[ $target != "$current" ]] || die "update: $P2_INSTALL is in state $target already; nothing was changed"
  p2_check_rollback_model "$target"
  # The director loads at least one metadata repository before a revert although the revert reads none (the old
  # state's units are in its profile file) and takes the jars from the installation; an empty one is enough.
  p2_empty_repository "$P2_TMP/empty"
  local repos="file:$P2_TMP/empty"
  if [[ -n $repo ]]; then p2_open_repository "$repo"; repos+=",$P2_REPO_URI"; fi
  local args=(-destination "$P2_INSTALL" -profile "$P2_PROFILE" -revert "$target" -repository "$repos")
  p2_begin_change "$current" "$target"
  say "rolling $P2_INSTALL back from state $current to $target ($(p2_state_date "$target"))"
  if ! p2_director "${args[@]}" || [[ $(p2_current_state) == "$current" ]]; then
    local reason; reason=$(p2_director_reason)
    p2_abort_change
    [[ $(p2_fingerprint) == "$P2_FINGERPRINT" ]] && die "rollback failed: $reason; the installation was not changed (state $current kept)"
    die "rollback failed: $reason; the installation was changed (log: $P2_LOG)"
  fi
  local after; after=$(p2_current_state)
  p2_record rollback "$current" "$after" "${repo:--}" "$undoes" "back to $target"
  say "rolled back: $(p2_roots "$after" | awk '{ sub(/\.feature\.group$/, "", $1); printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }'); state $current -> $after"
}

# A state written before the installation was copied or moved names the folder it was built in. The director's
# revert takes the target state's install folder and bundle pool as they are (only an install or uninstall rewrites
# them for a roaming profile), and bundles.info would then point into the old folder. So the states an operation
# starts from are made to name this folder first (kept aside by p2_begin_change and put back if it fails).
p2_relocate_state() { # state
  local file=$P2_STATES/$1.profile.gz
  [[ $(zcat "$file" | p2_profile_property org.eclipse.equinox.p2.roaming) == true ]] || return 0
  [[ $(zcat "$file" | p2_profile_property org.eclipse.equinox.p2.installFolder) != "$P2_INSTALL" \
    || $(zcat "$file" | p2_profile_property org.eclipse.equinox.p2.cache) != "$P2_INSTALL" ]] || return 0
  zcat "$file" | P2_FOLDER=$P2_INSTALL awk '
    /<units / { stop = 1 }
    !stop && /<property name=\x27org.eclipse.equinox.p2.(installFolder|cache)\x27 value=/ {
      sub(/value=\x27[^\x27]*\x27/, "value=\x27" ENVIRON["P2_FOLDER"] "\x27") }
    { print }' | gzip -c >"$P2_TMP/$1.profile.gz.new"
  mv "$P2_TMP/$1.profile.gz.new" "$file"
  touch -r "$P2_TMP/keep/p2/${P2_STATES#"$P2_INSTALL"/p2/}/$1.profile.gz" "$file"
}

# A property of the profile itself (the first <properties> block), from a profile file on stdin.
p2_profile_property() { # name
  awk -v want="$1" '
    /<units / { stop = 1 }
    !stop && index($0, "<property name=\x27" want "\x27 ") { match($0, /value=\x27[^\x27]*\x27/); v = substr($0, RSTART+7, RLENGTH-8) }
    END { print v }'
}

p2_empty_repository() { # dir
  mkdir -p "$1"
  cat >"$1/content.xml" <<'EOF'
<?xml version='1.0' encoding='UTF-8'?>
<?metadataRepository version='1.1.0'?>
<repository name='empty' type='org.eclipse.equinox.internal.p2.metadata.repository.LocalMetadataRepository' version='1'>
  <properties size='1'><property name='p2.timestamp' value='0'/></properties>
  <units size='0'/>
</repository>
EOF
  cat >"$1/artifacts.xml" <<'EOF'
<?xml version='1.0' encoding='UTF-8'?>
<?artifactRepository version='1.1.0'?>
<repository name='empty' type='org.eclipse.equinox.p2.artifact.repository.simpleRepository' version='1'>
  <properties size='1'><property name='p2.timestamp' value='0'/></properties>
  <artifacts size='0'/>
</repository>
EOF
}

# A rollback across a model change would start old code on data a newer model wrote.
p2_check_rollback_model() { # target-state
  local v jar have want
  v=$(p2_unit_version "$1" org.apotheca.model)
  [[ -n $v ]] || return 0
  jar=$P2_INSTALL/plugins/org.apotheca.model_$v.jar
  [[ -f $jar ]] || return 0
  have=$(p2_model_schema_of_jar "$(p2_installed_model_jar)" Apotheca-Model-Schema)
  want=$(p2_model_schema_of_jar "$jar" Apotheca-Model-Schema)
  [[ $have == "$want" ]] && return 0
  die "rollback refused: state $1 has data model schema $want, this installation runs schema $have; data written or migrated by schema $have cannot be read by it. Nothing was changed"
}
