#!/usr/bin/env bash
# readme-commands.sh: runs the shell commands of README.md's fenced code blocks as written, in order, and says
# which work (issue 35: "the README's commands all run as written").
#
#   deploy/readme-commands.sh [--quick] [--list] [--skip-install] [--timeout SECONDS] [--readme FILE]
#
#   --list          print the extracted commands with their numbers, what would be skipped and why; run nothing
#   --quick         skip the test suite (`mvn -B verify`: CI runs it) and the multi-process cluster checks
#                   (minutes each; `mvn -B verify` runs them too), and give the demo `--duration 20s`
#   --skip-install  skip any command that runs `mvn ... install` (it overwrites the snapshots in ~/.m2 that
#                   other checkouts on the machine share); no README command does so today
#   --timeout S     stop a command that runs longer than S seconds and count it failed (default 1800)
#
# Which blocks are shell: those marked ```bash, ```sh, ```shell or ```console, and unmarked ``` blocks whose
# first command starts with a path (deploy/bin/flink-rnn ...) or one of KNOWN_COMMANDS below. Other blocks
# (```java, the SQL example, the architecture diagram) are not commands; --list names them. A line ending in
# `\` continues on the next. Blocks whose commands show `[--option]` or `a|b` placeholders are usage synopses,
# not commands, and are skipped as a whole.
#
# Where they run: the README's commands write next to where they run (load.avro, load.report.md, eval.md,
# nab-results/, demo-report.html), so they run in target/readme-commands/repo, a folder of links to the
# checkout's top-level entries (so deploy/bin/flink-rnn, README paths and target/ folders are the checkout's own),
# with target/readme-commands/shared linked to the checkout's ../shared (the README reads ../shared/data).
# `history.csv` is the README's stand-in for the reader's own data; the script writes a small synthetic one
# there (timestamp,sensor,load: 3 sensors x 720 hourly rows, a daily cycle) before the first command.
# Each command's output goes to target/readme-commands/logs/N.log; the last lines of a failed one are printed.
#
# Output: one line per command,
#   readme-command N ok|FAILED exit=X seconds=S: <command, first 80 chars>
#   readme-command N skipped: <reason>
# and last `readme-commands: ran=R ok=K failed=F skipped=S`. Exit status 1 if any command failed, 2 on a wrong
# command line. The project is built by the first command that needs it (deploy/bin/flink-rnn builds on first
# use with `mvn package`, never `mvn install`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
readme="$root/README.md"
quick=0; list=0; skip_install=0; timeout_s=1800

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --list) list=1 ;;
    --skip-install) skip_install=1 ;;
    --timeout) [ $# -ge 2 ] || usage; timeout_s="$2"; shift ;;
    --readme) [ $# -ge 2 ] || usage; readme="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    -h|--help) usage ;;
    *) echo "readme-commands: unknown option $1" >&2; usage ;;
  esac
  shift
done
[[ "$timeout_s" =~ ^[0-9]+$ ]] || { echo "readme-commands: --timeout needs whole seconds" >&2; exit 2; }

# Unmarked blocks are shell when their first command starts with a path or one of these.
KNOWN_COMMANDS=" mvn flink java docker kubectl helm apt-get git bash sh cd export curl npm node python3 "

# What cannot run unattended in a plain checkout: "extended regex on the command|reason", first match wins.
# Keep this short: each entry is a README command this script does not check.
SKIPS=(
  'flink-rnn publish-model .*--bootstrap-servers kafka:9092|needs a Kafka broker at kafka:9092 and a better.avro of your own'
  'flink-rnn job .*kafka:9092|runs until cancelled, against a Kafka broker at kafka:9092 and a schema registry at registry:8081'
  '^flink run |needs a Flink distribution (the flink command) and a running cluster'
  'cluster\.sh start|starts a local cluster that stays up until stopped'
)
# Skipped with --quick only (long but finite; CI runs them): "regex|reason".
QUICK_SKIPS=(
  '^mvn -B verify$|--quick: the test suite (CI runs it; the cluster checks alone take about 8 min)'
  '^deploy/local-cluster/[a-z-]+-check\.sh|--quick: a multi-process cluster check (minutes; mvn -B verify runs the cluster checks)'
)
# Changed with --quick: "regex|text appended to the command".
QUICK_ARGS=(
  '^deploy/bin/flink-rnn demo$|--duration 20s'
)

# ---- extraction: prints records "kind<TAB>line<TAB>text", kind cmd (a command), synopsis (a command of a usage
# synopsis block), other (a block that is not shell: its first line) ----
extract() {
  awk -v known="$KNOWN_COMMANDS" '
    function first_word(s,   t) { t = s; sub(/^[ \t]*/, "", t); sub(/[ \t].*/, "", t); return t }
    function flush(   i, w, shell, syn) {
      if (n == 0) { return }
      w = first_word(cmds[1])
      shell = (info ~ /^(bash|sh|shell|console)$/) || (info == "" && (w ~ /\// || index(known, " " w " ") > 0))
      if (!shell) { printf "other\t%d\t%s\n", start, (info == "" ? "" : "```" info " ") cmds[1]; n = 0; return }
      syn = 0
      for (i = 1; i <= n; i++) { if (cmds[i] ~ /\[--|[a-z0-9.][|][a-z0-9]/) syn = 1 }
      for (i = 1; i <= n; i++) { printf "%s\t%d\t%s\n", (syn ? "synopsis" : "cmd"), lines[i], cmds[i] }
      n = 0
    }
    /^```/ {
      if (!inside) { inside = 1; info = $0; sub(/^```[ \t]*/, "", info); sub(/[ \t].*/, "", info); start = NR; n = 0; cont = 0; next }
      inside = 0; flush(); next
    }
    inside {
      line = $0
      if (info == "console") { if (line !~ /^\$ /) { next } sub(/^\$ /, "", line) }
      if (cont) { cur = cur " " line } else { if (line ~ /^[ \t]*$/ || line ~ /^[ \t]*#/) { next } cur = line; curline = NR }
      if (cur ~ /\\$/) { sub(/[ \t]*\\$/, "", cur); cont = 1; next }
      cont = 0
      gsub(/[ \t]+/, " ", cur); sub(/^ /, "", cur); sub(/ $/, "", cur)
      n++; cmds[n] = cur; lines[n] = curline
    }
  ' "$readme"
}

# The reason a command is skipped, or nothing.
skip_reason() {
  local cmd="$1" kind="$2" entry bare
  bare="$(sed 's/[[:space:]]*#.*$//' <<<"$cmd")"
  if [ "$kind" = synopsis ]; then echo "a usage synopsis ([--option] and a|b placeholders), not a command"; return; fi
  if [ "$skip_install" = 1 ] && grep -Eq '(^|[;&|[:space:]])mvn[[:space:]].*[[:space:]]install([[:space:]]|$)' <<<"$bare"; then
    echo "--skip-install: runs mvn install, which overwrites the shared ~/.m2 snapshots"; return
  fi
  for entry in "${SKIPS[@]}"; do
    if grep -Eq "${entry%%|*}" <<<"$bare"; then echo "${entry#*|}"; return; fi
  done
  if [ "$quick" = 1 ]; then
    for entry in "${QUICK_SKIPS[@]}"; do
      if grep -Eq "${entry%%|*}" <<<"$bare"; then echo "${entry#*|}"; return; fi
    done
  fi
}

# The command as it will run (with --quick's extra arguments).
as_run() {
  local cmd="$1" entry bare
  bare="$(sed 's/[[:space:]]*#.*$//' <<<"$cmd")"
  if [ "$quick" = 1 ]; then
    for entry in "${QUICK_ARGS[@]}"; do
      if grep -Eq "${entry%%|*}" <<<"$bare"; then echo "$bare ${entry#*|}"; return; fi
    done
  fi
  echo "$cmd"
}

short() { local s; s="$(sed 's/[[:space:]]*#.*$//' <<<"$1")"; printf '%s' "${s:0:80}"; }

records="$(extract)"
if ! grep -Eq $'^(cmd|synopsis)\t' <<<"$records"; then
  echo "readme-commands: no shell commands found in $readme" >&2
  exit 1
fi

if [ "$list" = 1 ]; then
  n=0
  while IFS=$'\t' read -r kind line text; do
    if [ "$kind" = other ]; then echo "   (README line $line: not shell: ${text:0:70})"; continue; fi
    n=$((n + 1))
    reason="$(skip_reason "$text" "$kind")"
    run_as="$(as_run "$text")"
    echo "readme-command $n (README line $line): $text"
    if [ -n "$reason" ]; then echo "    skipped: $reason"
    elif [ "$run_as" != "$text" ]; then echo "    runs as: $run_as"
    fi
  done <<<"$records"
  exit 0
fi

# ---- the work folder ----
base="$root/target/readme-commands"
rm -rf "$base"
mkdir -p "$base/repo" "$base/logs"
for entry in "$root"/* "$root"/.[!.]*; do
  [ -e "$entry" ] || continue
  case "$(basename "$entry")" in .git) continue ;; esac
  ln -s "$entry" "$base/repo/$(basename "$entry")"
done
if [ -d "$root/../shared" ]; then ln -s "$(cd "$root/../shared" && pwd)" "$base/shared"; fi
# README.md's "history.csv": three sensors, 30 days of hourly load with a daily cycle and a little noise.
awk 'BEGIN {
  print "timestamp,sensor,load"; seed = 7
  for (s = 1; s <= 3; s++) for (h = 0; h < 720; h++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    printf "2024-01-%02d %02d:00,s%d,%.3f\n", 1 + int(h / 24), h % 24, s, 50 * s + 10 * sin(2 * 3.14159265 * (h % 24) / 24) + (seed / 2147483648 - 0.5)
  }
}' >"$base/repo/history.csv"

ran=0; ok=0; failed=0; skipped=0; n=0; t_all=$SECONDS
while IFS=$'\t' read -r kind line text; do
  [ "$kind" = other ] && continue
  n=$((n + 1))
  reason="$(skip_reason "$text" "$kind")"
  if [ -n "$reason" ]; then
    echo "readme-command $n skipped: $reason"
    skipped=$((skipped + 1))
    continue
  fi
  cmd="$(as_run "$text")"
  log="$base/logs/$n.log"
  t0=$SECONDS
  set +e
  (cd "$base/repo" && POCL_SIGFPE_HANDLER=0 timeout --kill-after=30 "$timeout_s" bash -c "$cmd") </dev/null >"$log" 2>&1
  rc=$?
  set -e
  ran=$((ran + 1))
  if [ "$rc" = 0 ]; then
    ok=$((ok + 1))
    echo "readme-command $n ok exit=0 seconds=$((SECONDS - t0)): $(short "$cmd")"
  else
    failed=$((failed + 1))
    echo "readme-command $n FAILED exit=$rc seconds=$((SECONDS - t0)): $(short "$cmd")"
    tail -n 15 "$log" | sed 's/^/    | /'
  fi
done <<<"$records"

echo "readme-commands: $((SECONDS - t_all)) s; each command's output in ${base#"$root/"}/logs"
echo "readme-commands: ran=$ran ok=$ok failed=$failed skipped=$skipped"
[ "$failed" = 0 ]
