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
