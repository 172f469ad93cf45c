# shellcheck shell=bash
# Sourced by ./apotheca (its run_server, run_client and run_site) and by the p2 round trip, which tests it.

# Runs a command (the product's java) in the foreground and starts it again while it exits with 23, the code of a
# restart the workbench asked for (IApplication.EXIT_RESTART, e.g. after an update): without a native launcher
# nothing else would. The child gets the TERM, INT and HUP this shell gets, so killing this shell's pid stops the
# product as the exec that was here before did; the exit code is the child's.
run_relaunching() { # command...
  local child rc
  while :; do
    "$@" <&0 &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT HUP
    rc=0; wait "$child" || rc=$?
    # a trapped signal ends the wait early: wait again for the child's own exit code
    while kill -0 "$child" 2>/dev/null; do rc=0; wait "$child" || rc=$?; done
    trap - TERM INT HUP
    [[ $rc -eq 23 ]] || return "$rc"
    printf '[apotheca] restart requested (exit code 23): starting again\n' >&2
  done
}
