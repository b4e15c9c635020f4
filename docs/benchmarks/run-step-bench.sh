#!/usr/bin/env bash
# The step benchmark of docs/BENCHMARKS.md: flink-rnn's backends and PyTorch's CPU cells, same shapes and
# thread counts, interleaved and repeated (REPS, default 3) because this shared VM's speed drifts; the table
# reports the median of the repetitions. Raw lines go to $OUT (default target/step-bench.txt).
# Needs: Debian python3-torch (apt-get install python3-torch), libopenblas0-pthread for the OpenBLAS column,
# PoCL for the OpenCL column. Usage: docs/benchmarks/run-step-bench.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
seconds="${1:-3}"
reps="${REPS:-3}"
out="${OUT:-$root/target/step-bench.txt}"
mkdir -p "$(dirname "$out")"
: > "$out"
shapes="1,8,64 64,8,64 1024,16,128 1024,8,256 4096,8,64"
generic=/usr/lib/x86_64-linux-gnu/blas
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
deploy/bin/flink-rnn bench --batch 1 --seconds 0.2 --warmup 0 --backend java >/dev/null 2>&1  # build once
for rep in $(seq "$reps"); do
  for cell in lstm gru; do
    for shape in $shapes; do
      IFS=, read -r b f h <<<"$shape"
      echo "rep $rep/$reps: $cell B=$b F=$f H=$h" >&2
      for t in 1 2; do
        deploy/bin/flink-rnn bench --cell "$cell" --batch "$b" --input "$f" --hidden "$h" --backend java \
          --threads "$t" --seconds "$seconds" 2>/dev/null | tail -1 | sed 's/$/ impl=java/' >> "$out"
        for blas in generic openblas; do
          dir=$generic; [ "$blas" = openblas ] && dir=$openblas
          LD_LIBRARY_PATH="$dir" OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
            /usr/bin/python3 docs/benchmarks/torch_cells.py "$cell" "$b" "$f" "$h" "$t" "$seconds" "$blas" >> "$out"
        done
      done
      deploy/bin/flink-rnn bench --cell "$cell" --batch "$b" --input "$f" --hidden "$h" --backend opencl \
        --threads 1 --seconds "$seconds" 2>/dev/null | tail -1 | sed 's/$/ impl=opencl-pocl/' >> "$out"
    done
  done
done
python3 docs/benchmarks/step_table.py "$out"
