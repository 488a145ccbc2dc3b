#!/usr/bin/env bash
# End to end, as a person uses it: the real app on an X server (Xvfb) with a window manager
# (openbox), driven by real X input events (xdotool): drag a descriptor from A to B, edit an
# option cell, register FD_READ|FD_WRITE and probe, try an edit in replay, export an HTML
# report through the real file dialog. What happened is checked against the OS (/proc, ss)
# and the report, never against what socklens says of itself. Every wait polls with a bound.
#
#   real_x_input.sh APP   (APP: the built socklens executable)
set -euo pipefail

app=${1:?usage: real_x_input.sh path/to/socklens}
for tool in Xvfb openbox xdotool xdpyinfo ss import; do
    command -v "$tool" >/dev/null ||
        { echo "e2e: $tool is missing: installer/dev.sh deps installs it" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
    local status=$?
    if [ "$status" -ne 0 ] && [ -n "${app_pid:-}" ]; then
        echo "e2e: the app is $(kill -0 "$app_pid" 2>/dev/null && echo running || echo gone)," \
            "windows: $(xdotool search --name . getwindowname %@ 2>/dev/null | tr '\n' '|')" >&2
        echo "e2e: the app's output:" >&2
        tail -20 "$work/app.log" >&2
        echo "e2e: openbox's output:" >&2
        tail -5 "$work/openbox.log" >&2
    fi
    if [ "$status" -ne 0 ] && [ -n "${DISPLAY:-}" ]; then
        import -window root "$work/failure.png" 2>/dev/null &&
            cp "$work/failure.png" "${TMPDIR:-/tmp}/socklens-e2e-failure.png" &&
            echo "e2e: the screen at the failure: ${TMPDIR:-/tmp}/socklens-e2e-failure.png" >&2
    fi
    # Each one is asked to end, then made to after 5 s: the test never waits without a bound.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || continue
        local deadline=$((SECONDS + 5))
        while kill -0 "${pids[i]}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
        kill -9 "${pids[i]}" 2>/dev/null || true
    done
    rm -rf "$work" 2>/dev/null || true
    exit "$status" # the test's verdict, whatever the cleaning up met
}
trap cleanup EXIT

fail() { echo "e2e: FAILED: $*" >&2; exit 1; }
# xdotool, bounded: its --sync waits (for a move, a resize, an activation) have no limit.
xdo() { timeout 20 xdotool "$@" || fail "xdotool $* failed or did not finish within 20 s"; }
# activate WINDOW: asks the window manager until WINDOW is the active one.
activate() {
    xdotool windowactivate "$1" 2>/dev/null
    [ "$(xdotool getactivewindow 2>/dev/null)" = "$1" ]
}
step() { echo "e2e: $*"; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds, at most SECONDS.
wait_for() {
    local limit=$1 what=$2
    shift 2
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "$what (not within $limit s)"
        sleep 0.1 # the polling interval, not a wait for the condition
    done
}

# The X server on a free display well away from :0 and the usual :99 (other sessions on the
# machine may start one there), the window manager on it.
x_ready() { kill -0 "${pids[-1]}" && xdpyinfo -display "$DISPLAY"; }
for attempt in 1 2 3 4 5; do
    number=$((100 + (RANDOM % 800)))
    [ -e "/tmp/.X$number-lock" ] && continue
    export DISPLAY=":$number"
    Xvfb "$DISPLAY" -screen 0 1600x1000x24 -nolisten tcp </dev/null >"$work/xvfb.log" 2>&1 &
    pids+=($!)
    deadline=$((SECONDS + 20))
    until x_ready >/dev/null 2>&1 || ! kill -0 "${pids[-1]}" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "Xvfb on $DISPLAY does not answer within 20 s"
        sleep 0.1 # the polling interval
    done
    x_ready >/dev/null 2>&1 && break
    unset 'pids[-1]' DISPLAY # it lost a race for that display: try another
done
[ -n "${DISPLAY:-}" ] || fail "no X server would start: $(tail -3 "$work/xvfb.log")"
# --startup runs once openbox manages the screen: a window mapped before that may never be.
openbox --sm-disable --startup "touch $work/wm-ready" </dev/null >"$work/openbox.log" 2>&1 &
pids+=($!)
wait_for 20 "openbox manages the screen" test -e "$work/wm-ready"
step "X server $DISPLAY with openbox"

# The app, with settings of its own (no window geometry or hidden columns from elsewhere).
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data QT_QPA_PLATFORM=xcb
"$app" </dev/null >"$work/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
window=""
find_window() {
    window=$(xdotool search --onlyvisible --name '^socklens — shared sockets' | head -1)
    [ -n "$window" ]
}
wait_for 60 "the main window appears" find_window
xdo windowmove "$window" 0 0
xdo windowsize "$window" 1440 900
sized() { xdotool getwindowgeometry --shell "$window" | tr '\n' ' ' | grep -q 'WIDTH=1440 HEIGHT=900'; }
wait_for 20 "the window is 1440x900" sized
wait_for 20 "the main window becomes active" activate "$window"

# The helpers are the app's children: A holds the TCP pair the app starts with, B nothing.
helper_pids() { pgrep -P "$app_pid" -f socklens-helper; }
socket_inodes() { # the socket inodes a helper holds, one per descriptor, but its channel
    local channel
    channel=$(tr '\0' ' ' <"/proc/$1/cmdline" | grep -o -- '--channel-fd [0-9]*' | cut -d' ' -f2)
    find "/proc/$1/fd" -lname 'socket:*' ! -name "${channel:-none}" -printf '%l\n' 2>/dev/null |
        tr -dc '0-9\n' | sort
}
a_pid="" b_pid=""
find_helpers() {
    local pid
    [ "$(helper_pids | wc -l)" -eq 2 ] || return 1
    for pid in $(helper_pids); do
        case $(socket_inodes "$pid" | wc -l) in
        2) a_pid=$pid ;;
        0) b_pid=$pid ;;
        esac
    done
    [ -n "$a_pid" ] && [ -n "$b_pid" ]
}
wait_for 30 "helpers A (with its TCP pair) and B start" find_helpers
step "helpers A=$a_pid B=$b_pid"

# Window-relative spots (1440x900, DejaVu fonts): A's first row, B's empty pane, the first
# option cell of the options matrix (SO_RCVBUF through the first descriptor).
read -r a_row_x a_row_y <<<"${SOCKLENS_E2E_A_ROW:-155 165}"
read -r b_pane_x b_pane_y <<<"${SOCKLENS_E2E_B_PANE:-1037 288}"
read -r option_x option_y <<<"${SOCKLENS_E2E_OPTION:-806 440}"
click() { xdo mousemove --window "$window" --sync "$1" "$2" click 1; }

# 1. Drag A's first descriptor onto B: B then holds the same socket (the same inode).
click "$a_row_x" "$a_row_y"
xdo mousemove --window "$window" --sync "$a_row_x" "$a_row_y" mousedown 1
for ((k = 1; k <= 10; k++)); do # a drag is many motions, not a jump
    xdo mousemove --window "$window" --sync \
        $((a_row_x + (b_pane_x - a_row_x) * k / 10)) $((a_row_y + (b_pane_y - a_row_y) * k / 10))
done
xdo mouseup 1
b_shares_a_socket() {
    local shared
    shared=$(socket_inodes "$b_pid")
    [ -n "$shared" ] && socket_inodes "$a_pid" | grep -qx "$shared"
}
wait_for 20 "B holds a duplicate of A's socket (/proc/$b_pid/fd)" b_shares_a_socket
inode=$(socket_inodes "$b_pid")
holders=$(find /proc/"$a_pid"/fd /proc/"$b_pid"/fd -lname "socket:\[$inode\]" | wc -l)
[ "$holders" -eq 2 ] || fail "socket $inode has $holders descriptors in A and B, not 2"
step "dragged: socket inode $inode is held by A and B"

# 2. Edit SO_RCVBUF in the options matrix: Linux doubles what is asked (ss shows rb).
receive_buffer() { ss -tmneH | grep -A1 "ino:$inode " | grep -o 'rb[0-9]*' | head -1; }
click "$a_row_x" "$a_row_y" # A's descriptor: its socket is the one the matrix shows
xdo mousemove --window "$window" --sync "$option_x" "$option_y" click --repeat 2 1
xdo key --delay 20 ctrl+a type --delay 20 50000
xdo key Return
rb_is() { [ "$(receive_buffer)" = "rb$1" ]; }
wait_for 20 "SO_RCVBUF 50000 reaches the kernel (ss: rb100000)" rb_is 100000
step "SO_RCVBUF set through the options matrix: ss shows rb100000"

# 3. Register FD_READ|FD_WRITE through A's descriptor (Ctrl+3), then probe (Ctrl+P).
click "$a_row_x" "$a_row_y"
a_fd=$(find "/proc/$a_pid/fd" -lname "socket:\[$inode\]" -printf '%f\n' | head -1)
async_set() { # F_SETOWN + O_ASYNC: fdinfo's flags carry FASYNC (octal 020000)
    local flags
    flags=$(awk '/^flags:/ {print $2}' "/proc/$a_pid/fdinfo/$a_fd")
    (((8#$flags & 8#20000) != 0))
}
xdo key ctrl+3
wait_for 20 "A's descriptor $a_fd is registered (O_ASYNC in fdinfo)" async_set
xdo key ctrl+p
step "registered FD_READ|FD_WRITE through A's fd $a_fd and probed"

# 4. Replay one entry back: an edit there must not reach the kernel. The cell is made current
# while live; in replay the keys go to it (typing starts an edit), as a user would type.
click "$option_x" "$option_y"
xdo key alt+Left
xdo type --delay 20 60000
xdo key Return Escape alt+End
step "typed SO_RCVBUF 60000 into the cell while replaying"

# 5. Export an HTML report through the real file dialog.
report=$work/report.html
xdo key ctrl+e
dialog=""
find_dialog() {
    dialog=$(xdotool search --onlyvisible --name '^Export report$' | head -1)
    [ -n "$dialog" ]
}
wait_for 20 "the Export report dialog appears" find_dialog
wait_for 20 "the dialog becomes active" activate "$dialog"
xdo key ctrl+a type --delay 10 "$report"
xdo key Return
wait_for 30 "the report is written ($report)" test -s "$report"
report_done() { grep -q '</html>' "$report"; }
wait_for 30 "the report is complete" report_done
grep -q 'SO_RCVBUF' "$report" || fail "the report does not mention SO_RCVBUF"
grep -q '50000, effective 100000' "$report" ||
    fail "the report does not show the 50000 that was set and the kernel's 100000"
grep -q 'OS delivered FD_READ to A:' "$report" || fail "the report shows no delivery to A"
! grep -q '60000' "$report" || fail "the edit made in replay reached the report"
rb_is 100000 || fail "the edit made in replay reached the kernel: ss shows $(receive_buffer)"
step "report written; the replay edit reached neither the kernel nor the journal"

# Quit: the helpers go with the app.
wait_for 20 "the main window becomes active again" activate "$window"
xdo key ctrl+q
app_gone() { ! kill -0 "$app_pid"; }
wait_for 20 "the app quits" app_gone
helpers_gone() { ! kill -0 "$a_pid" && ! kill -0 "$b_pid"; }
wait_for 20 "the helpers end with the app" helpers_gone
step "passed"
