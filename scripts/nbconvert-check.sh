#!/bin/sh
# Runs every notebook under Debian's `jupyter-nbconvert --execute` with the project's kernelspec,
# in quick mode: proves that a Jupyter client we did not write (nbclient) runs them unchanged.
# Also checks each executed copy reported its figures through lab.report. Needs Debian's
# jupyter-nbconvert (apt: jupyter-nbconvert, python3-nbclient) and `npm install` (kernelspec).
#   sh scripts/nbconvert-check.sh [NOTEBOOKS…]     (default: notebooks/*.ipynb)
set -u
cd "$(dirname "$0")/.."
NBCONVERT=${NBCONVERT:-/usr/bin/jupyter-nbconvert}
OUT=out/nbconvert
if [ ! -x "$NBCONVERT" ]; then
  echo "nbconvert-check: $NBCONVERT not found (apt-get install jupyter-nbconvert)" >&2
  exit 2
fi
if [ ! -f .jupyter/kernels/tslab/kernel.json ]; then
  echo "nbconvert-check: .jupyter/kernels/tslab/kernel.json missing (run npm install)" >&2
  exit 2
fi
[ $# -gt 0 ] || set -- notebooks/*.ipynb
if [ ! -f "$1" ]; then
  echo "nbconvert-check: no notebooks to run ($1)" >&2
  exit 1
fi
mkdir -p "$OUT"
failed=""
for nb in "$@"; do
  name=$(basename "$nb")
  echo "nbconvert-check: $nb"
  start=$(date +%s)
  # cwd for the kernel is the notebook's folder, as in JupyterLab; 600 s per cell, as quick mode promises far less.
  if JUPYTER_PATH="$PWD/.jupyter" DIGITLAB_QUICK=1 "$NBCONVERT" --to notebook --execute \
      --ExecutePreprocessor.kernel_name=tslab --ExecutePreprocessor.timeout=600 \
      --output-dir "$OUT" "$nb" >"$OUT/$name.log" 2>&1 &&
    node -e '
      const nb = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const reports = nb.cells.flatMap((c) => c.outputs || [])
        .filter((o) => o.data && o.data["application/vnd.digitlab.report+json"]);
      if (reports.length === 0) { console.error(process.argv[1] + ": no lab.report output"); process.exit(1); }
      console.log("  reported: " + JSON.stringify(Object.assign({}, ...reports.map((o) => o.data["application/vnd.digitlab.report+json"]))));
    ' "$OUT/$name"; then
    echo "  ok ($(( $(date +%s) - start )) s)"
  else
    echo "  FAILED: $nb (log: $OUT/$name.log)" >&2
    tail -n 30 "$OUT/$name.log" >&2
    failed="$failed $nb"
  fi
done
if [ -n "$failed" ]; then
  echo "nbconvert-check: failed:$failed" >&2
  exit 1
fi
echo "nbconvert-check: all notebooks ran under jupyter-nbconvert"
