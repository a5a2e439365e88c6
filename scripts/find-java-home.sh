# Sourced by ./medmaas, .ci/run and the Makefile: defines find_java_home, which prints the home of
# a JDK 21 or newer: $JAVA_HOME if it qualifies, else the `java` on the PATH, else the newest JDK
# in the system's usual JVM folders. Returns 1 if there is none.

java_major() {
  # Prints the major version of the java binary given, or nothing. The JDK's `release` file says it
  # without starting a JVM (each start costs a few hundred milliseconds of every command).
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

usable() {
  local bin="$1"
  [ -x "$bin" ] || return 1
  local major
  major="$(java_major "$bin")"
  [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null
}

find_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && usable "$JAVA_HOME/bin/java" && [ -x "$JAVA_HOME/bin/javac" ]; then
    echo "$JAVA_HOME"; return 0
  fi
  if command -v java >/dev/null 2>&1; then
    local bin
    bin="$(readlink -f "$(command -v java)")"
    if usable "$bin" && [ -x "$(dirname "$bin")/javac" ]; then
      dirname "$(dirname "$bin")"; return 0
    fi
  fi
  local candidate best="" best_major=0
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    local major
    major="$(java_major "$candidate/bin/java")"
    major="${major%%.*}"
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}

