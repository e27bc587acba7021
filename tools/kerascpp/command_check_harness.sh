# Sourced (not run) by the CTest scripts of the kerascpp command
# (check_model_commands.sh, check_convert_command.sh and
# check_explain_commands.sh), which set $tool (the kerascpp program) and $work
# (a folder of their own) first: empties $work and gives them the checks they
# share. A failed check prints FAIL and counts; finish_checks ends the script.
# shellcheck shell=sh
: "${work:?is set by the script that sources command_check_harness.sh}"
rm -rf "$work" && mkdir -p "$work"
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect_exit CODE CMD...: runs CMD (stdout and stderr to files), checks the code
# and, for a failed run, that stderr holds exactly one line.
expect_exit() {
  want=$1
  shift
  env -u COLUMNS "$@" </dev/null >"$work/out" 2>"$work/err"
  got=$?
  [ "$got" -eq "$want" ] || fail "exit $got (want $want): $*; stderr: $(cat "$work/err")"
  if [ "$want" -ne 0 ] && [ "$want" -eq "$got" ]; then
    lines=$(wc -l <"$work/err")
    [ "$lines" -ge 1 ] || fail "no error message on stderr: $*"
    if [ "$want" -eq 1 ] && [ "$lines" -ne 1 ]; then
      fail "$lines stderr lines (want 1): $*"
    fi
  fi
}

# The float32 values of a .npy file (version 1 header), one per line.
npy_values() {
  header=$(od -A n -t u2 -j 8 -N 2 "$1" | tr -d ' ')
  od -A n -v -t f4 -j $((10 + header)) "$1" | tr -s ' ' '\n' | sed '/^$/d'
}

# same_values GOT.npy WANT.npy: equal counts, |got - want| <= 1e-5 * max(1, |want|).
same_values() {
  npy_values "$1" >"$work/got.txt"
  npy_values "$2" >"$work/want.txt"
  [ "$(wc -l <"$work/got.txt")" -eq "$(wc -l <"$work/want.txt")" ] || {
    fail "$1 and $2 hold different numbers of values"
    return
  }
  paste "$work/got.txt" "$work/want.txt" | awk '
    function abs(v) { return v < 0 ? -v : v }
    { tol = 1e-5 * (abs($2) > 1 ? abs($2) : 1); if (abs($1 - $2) > tol) { bad++; if (bad < 4) print "  " NR ": " $1 " vs " $2 } }
    END { exit bad > 0 }' || fail "$1 differs from $2"
}

# finish_checks MESSAGE: exits 1 when a check failed, else prints MESSAGE.
finish_checks() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
  fi
  echo "$1"
}
