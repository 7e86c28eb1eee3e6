#!/usr/bin/env bash
# Install what the Spark tests need: a Java 17+ runtime (Debian's default-jre-headless) when
# `java` is missing or older. pyspark itself comes with the `spark` extra (scripts/setup).
# Idempotent; works run or sourced (the work happens in a subshell so no shell options leak).
(
    set -euo pipefail
    java_major() {
        # the major version of the java on PATH, 0 if none
        local line
        line="$(java -version 2>&1 | head -n 1)" || { echo 0; return; }
        line="${line#*\"}"
        line="${line%%[.\"]*}"
        case "$line" in '' | *[!0-9]*) echo 0 ;; *) echo "$line" ;; esac
    }
    if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
        SUDO=""
        if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
        echo "java.sh: installing default-jre-headless with apt-get" >&2
        # Debian's openjdk postinst wants this man directory, absent from slim images
        $SUDO mkdir -p /usr/share/man/man1
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null \
            || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; }
        hash -r
    fi
    [ "$(java_major)" -ge 17 ] || { echo "java.sh: Spark needs Java 17+, found $(java -version 2>&1 | head -n 1)" >&2; exit 1; }
    echo "java.sh: $(java -version 2>&1 | head -n 1)" >&2
)
