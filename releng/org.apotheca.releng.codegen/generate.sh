#!/usr/bin/env bash
# Regenerates bundles/org.apotheca.model/src-gen from model/apotheca.genmodel with the standalone EMF
# code generator (see src/main/java/.../GenerateModel.java). Runs from any directory; ./apotheca model calls it.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  # Maven 3.9's Guice uses sun.misc.Unsafe: JDK 24+ warns about it on every run
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
MVN="$ROOT/mvnw"
[[ -x $MVN ]] || MVN=mvn
exec "$MVN" -q -B -ntp -f "$ROOT/releng/org.apotheca.releng.codegen/pom.xml" \
  -Dapotheca.root="$ROOT" compile exec:java "$@"
