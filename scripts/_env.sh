# shellcheck shell=bash
# Sourced by the scripts in this folder: repo root, venv paths and the venv's environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VENV_PY="$VENV/bin/python"
export CARGO_TARGET_DIR="$ROOT/target"

activate_venv() {
    export VIRTUAL_ENV="$VENV"
    export PATH="$VENV/bin:$PATH"
    unset PYTHONHOME
}

# Runs "$@" in a network namespace of its own whose only interface is loopback, so that a test
# cannot reach any address but 127.0.0.1 / ::1 whatever it tries (root, util-linux's unshare
# and iproute2's ip); elsewhere runs "$@" as it is, with a note.
loopback_only() {
    if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1; then
        unshare --net sh -c 'ip link set lo up && exec "$@"' sh "$@"
    else
        echo "note: not root or no unshare/ip: tests are not confined to loopback" >&2
        "$@"
    fi
}
