# Finds a JDK 21 or newer: looks at JAVA_HOME, the javac on PATH, and the usual install places, and
# takes the newest. Two ways in:
#
#   source scripts/jdk.sh             (./corosio, .ci/run) exports JAVA_HOME and PATH, or exits 2
#                                     with a message when no JDK 21+ is installed.
#   bash scripts/jdk.sh --for-maven   (./mvnw) prints the shell lines that point Maven at the newest
#                                     JDK 21+ when the JDK Maven would run on (JAVA_HOME, else the
#                                     java on PATH) is older or missing, and Maven's options for
#                                     that JDK. It leaves JAVA_HOME alone when that JDK will do, and
#                                     prints nothing when no JDK 21+ is installed: the enforcer then
#                                     stops the build and says what it needs.
#
# Maven itself must run on the JDK 21+, not only compile with it: the jar plugin updates modular
# jars with the JDK's jar tool inside Maven's own JVM, and an older one cannot read Java 21 class
# files (so a toolchain alone is not enough).

corosio_minimum_jdk=21

# Prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing.
corosio_jdk_version() {
  local home=$1 line
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    line=$(grep -E '^JAVA_VERSION=' "$home/release" | head -n 1 | tr -d '"')
    line=${line#JAVA_VERSION=}
  else
    line=$("$home/bin/java" -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')
  fi
  line=${line#1.}
  echo "${line%%[.+-]*}"
}

# Prints the home of the newest JDK 21+ found, or returns 1.
corosio_find_jdk() {
  local candidate version best="" best_version=0
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    version=$(corosio_jdk_version "$candidate")
    if [ -n "$version" ] && [ "$version" -ge "$corosio_minimum_jdk" ] && [ "$version" -gt "$best_version" ]; then
      best=$candidate
      best_version=$version
    fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

# Prints the home of the JDK that Maven's launcher would use (JAVA_HOME, else the java on PATH).
corosio_launcher_jdk() {
  if [ -n "${JAVA_HOME:-}" ]; then
    echo "$JAVA_HOME"
  elif command -v java >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
  fi
}

# Prints MAVEN_OPTS for a Maven running on the JDK at $1. Maven's own dependencies (Guice) still use
# sun.misc.Unsafe, which JDK 24+ warns about on every build; allow it quietly there. Older JDKs do
# not know the option.
corosio_maven_opts() {
  if [ "$(corosio_jdk_version "$1")" -ge 24 ] && [[ "${MAVEN_OPTS:-}" != *--sun-misc-unsafe-memory-access* ]]; then
    echo "${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  else
    echo "${MAVEN_OPTS:-}"
  fi
}

if [ "${1:-}" = --for-maven ]; then
  launcher=$(corosio_launcher_jdk)
  launcher_version=$(corosio_jdk_version "$launcher")
  if [ -n "$launcher_version" ] && [ "$launcher_version" -ge "$corosio_minimum_jdk" ]; then
    printf 'MAVEN_OPTS=%q; export MAVEN_OPTS\n' "$(corosio_maven_opts "$launcher")"
    exit 0
  fi
  best=$(corosio_find_jdk) || exit 0
  echo "mvnw: Maven needs a JDK $corosio_minimum_jdk+ and ${launcher:-no JDK on PATH} is ${launcher_version:-not one}; using $best" >&2
  printf 'JAVA_HOME=%q; export JAVA_HOME\n' "$best"
  printf 'MAVEN_OPTS=%q; export MAVEN_OPTS\n' "$(corosio_maven_opts "$best")"
  exit 0
fi

if ! JAVA_HOME=$(corosio_find_jdk); then
  echo "net-corosio needs a JDK $corosio_minimum_jdk or newer (virtual threads); none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
MAVEN_OPTS=$(corosio_maven_opts "$JAVA_HOME")
export MAVEN_OPTS
