#!/usr/bin/env bash
# ensure_pcscd: make sure the PC/SC daemon runs (a ward-office PC runs it as a service; a fresh
# development machine has none because apt does not start daemons in containers).
ensure_pcscd() {
    if pgrep -x pcscd >/dev/null 2>&1; then
        return
    fi
    say "Starting the PC/SC daemon (pcscd)"
    # Never enable pcscd's APDU logging: it would write every command, PINs included, to the log.
    as_root sh -c 'mkdir -p /run/pcscd && (pcscd --foreground >/dev/null 2>&1 &)'
    for _ in $(seq 50); do
        [ -S /run/pcscd/pcscd.comm ] && return
        sleep 0.1
    done
    say "pcscd did not start; the card reader cannot be used"
}
