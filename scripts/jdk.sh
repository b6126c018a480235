# Sourced by ./corosio and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME and PATH.
# Looks at JAVA_HOME, the javac on PATH, and the usual install places; takes the newest.

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
    if [ -n "$version" ] && [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
      best=$candidate
      best_version=$version
    fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

if ! JAVA_HOME=$(corosio_find_jdk); then
  echo "net-corosio needs a JDK 21 or newer (virtual threads); none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# Maven's own dependencies (Guice) still use sun.misc.Unsafe, which JDK 24+ warns about on every
# build; allow it quietly there. Older JDKs do not know the option.
if [ "$(corosio_jdk_version "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
