# Sourced by side-by-side.sh and scaling.sh (needs $here, $root, $out): sets the array cqkd_cmd to the
# cqkd-bench command, or leaves it empty when neither CQKD_BENCH nor a built bundles/bench is available.
# shellcheck shell=bash
cqkd_cmd=()
if [ -n "${CQKD_BENCH:-}" ]; then
  cqkd_cmd=("$CQKD_BENCH")
elif [ -f "$here/target/cp.txt" ] || compgen -G "$here/target/cqkd-bench-*.jar" >/dev/null; then
  if [ ! -f "$here/target/cp.txt" ]; then
    (cd "$root" && mvn -B -q -o -pl bundles/bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt >&2)
  fi
  # a private copy of the jars: a concurrent `mvn install` must not swap a jar under the running JVM
  mkdir -p "$out/lib"
  cp "$here"/target/cqkd-bench-*.jar "$out/lib/"
  tr ':' '\n' < "$here/target/cp.txt" | grep -Ev 'junit|opentest4j|apiguardian|jmh|jopt|commons-math' \
    | while read -r j; do cp "$j" "$out/lib/"; done
  export CQKD_BENCH_CLASSPATH="$out/lib/*"
  cqkd_cmd=("$root/distribution/src/main/dist/bin/cqkd-bench")
fi

