#!/usr/bin/env bash
# On a lent GPU machine (bench/gpu/pack.sh made .gpu/ here first): finds the NVIDIA OpenCL driver, runs the
# kernels module's tests against it (golden vectors, OpenCL vs Java, long sequences; CI=true so a missing
# device fails instead of skipping), then the step benchmark. Usage:
#   bench/gpu/run-on-device.sh tests|bench|all|scaling|tiers [SECONDS] [SHAPES]
# scaling: the Java backend at 1, 2, 4, 8 and all threads (REPS times). tiers: OpenCL at small batches
# through a 1024-key backend, this build against the kernels jar in .gpu/old/ (if pack.sh was given one).
# Output: stdout, plus $OUT/gpu-tests.txt and $OUT/gpu-bench.txt when $OUT is set.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
what="${1:-all}"
seconds="${2:-2}"
shapes="${3:-1,8,64 64,8,64 1024,16,128 1024,8,256 4096,8,64}"
out="${OUT:-$root/target}"
mkdir -p "$out"
g="$root/.gpu"
java="$g/jdk/bin/java"
export LD_LIBRARY_PATH="$g/ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export POCL_SIGFPE_HANDLER=0

# The NVIDIA OpenCL library comes with the driver (the image may also hold PoCL, which must not be what
# runs here): an ICD folder of our own that names only the NVIDIA library makes every OpenCL test and
# benchmark below run on the GPU.
{
  echo "== ICD files in the image: $(ls /etc/OpenCL/vendors 2>/dev/null | tr '\n' ' ')"
  find / \( -path /proc -o -path /sys \) -prune -o \( -name 'libnvidia-opencl.so*' -o -name 'libOpenCL.so*' \) -print 2>/dev/null
} | tee "$out/gpu-probe.txt"
lib=$(grep -m1 'libnvidia-opencl.so.1$' "$out/gpu-probe.txt" || grep -m1 'libnvidia-opencl.so' "$out/gpu-probe.txt" || true)
if [ -n "$lib" ]; then
  mkdir -p "$g/icd" && echo "$lib" > "$g/icd/nvidia.icd"
  export OCL_ICD_VENDORS="$g/icd"
elif [ -z "${ALLOW_NO_GPU:-}" ]; then
  echo "no NVIDIA OpenCL library (libnvidia-opencl.so) on this machine; set ALLOW_NO_GPU=1 to run anyway" >&2
  exit 2
fi
echo "== OpenCL ICDs: ${OCL_ICD_VENDORS:-/etc/OpenCL/vendors}: $(cat "${OCL_ICD_VENDORS:-/etc/OpenCL/vendors}"/*.icd 2>/dev/null | tr '\n' ' ')" | tee -a "$out/gpu-probe.txt"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv,noheader 2>&1 \
  | tee -a "$out/gpu-probe.txt"
echo "== CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)," \
  "$(grep -m1 -o 'avx512f' /proc/cpuinfo || echo 'no avx512f')"
python3 -c 'import torch; print("== torch", torch.__version__, torch.cuda.get_device_name(0))' 2>&1 | tail -1

jvm=("$java" --add-modules jdk.incubator.vector -Xmx8g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas)

if [ "$what" = tests ] || [ "$what" = all ]; then
  echo "== kernels tests on this machine's OpenCL device"
  CI=true timeout 240 "${jvm[@]}" -Dgolden.dir="$g/golden" -cp "$g/launcher:$g/lib/*" GpuTestLauncher io.flinkrnn.kernels \
    2>&1 | tee "$out/gpu-tests.txt" | grep -v '^SUCCESSFUL'
fi

if [ "$what" = bench ] || [ "$what" = all ]; then
  echo "== step benchmark, ${seconds}s per run"
  bench=(timeout 60 "${jvm[@]}" -cp "$g/lib/*" io.flinkrnn.cli.FlinkRnnCli bench --seconds "$seconds")
  cores=$(nproc)
  for cell in lstm gru; do
    for shape in $shapes; do
      IFS=, read -r b f h <<<"$shape"
      common=(--cell "$cell" --batch "$b" --input "$f" --hidden "$h")
      "${bench[@]}" "${common[@]}" --backend opencl 2>/dev/null | tail -1 | sed 's/$/ impl=opencl-gpu/'
      threads_list="1 $cores"
      [ -n "${GPU_ONLY:-}" ] && threads_list=""  # GPU_ONLY=1: OpenCL and PyTorch CUDA rows alone
      for t in $threads_list; do
        "${bench[@]}" "${common[@]}" --backend java --threads "$t" 2>/dev/null | tail -1 | sed 's/$/ impl=java/'
      done
      for dev in cuda-roundtrip cuda-resident; do
        timeout 60 python3 docs/benchmarks/torch_cells.py "$cell" "$b" "$f" "$h" 1 "$seconds" "$dev" "$dev"
      done
      [ -z "${GPU_ONLY:-}" ] && timeout 60 python3 docs/benchmarks/torch_cells.py "$cell" "$b" "$f" "$h" "$cores" "$seconds" cpu
    done
  done 2>&1 | tee "$out/gpu-bench.txt"
fi

if [ "$what" = scaling ]; then
  echo "== Java backend thread scaling, ${seconds}s per run"
  for rep in $(seq "${REPS:-2}"); do
    for shape in lstm,1024,16,128 gru,1024,16,128 lstm,4096,8,64 gru,4096,8,64; do
      IFS=, read -r cell b f h <<<"$shape"
      for t in 1 2 4 8 $(nproc); do
        timeout 60 "${jvm[@]}" -cp "$g/lib/*" io.flinkrnn.cli.FlinkRnnCli bench --seconds "$seconds" \
          --cell "$cell" --batch "$b" --input "$f" --hidden "$h" --backend java --threads "$t" 2>/dev/null \
          | tail -1 | sed "s/$/ impl=java rep=$rep/"
      done
    done
  done 2>&1 | tee "$out/gpu-scaling.txt"
fi

if [ "$what" = tiers ]; then
  echo "== OpenCL, small batches through a backend of capacity 1024: old (one 1024-key kernel) vs tiers"
  for rep in $(seq "${REPS:-2}"); do
    for b in 16 64 256 1024; do
      for build in old new; do
        cp="$g/lib/*"
        [ "$build" = old ] && cp="$g/old/*:$g/lib/*"
        timeout 60 "${jvm[@]}" -cp "$cp" io.flinkrnn.cli.FlinkRnnCli bench --seconds "$seconds" \
          --cell lstm --batch "$b" --input 16 --hidden 128 --backend opencl --opencl-capacity 1024 2>/dev/null \
          | tail -1 | sed "s/$/ impl=opencl-gpu build=$build rep=$rep/"
      done
    done
  done 2>&1 | tee "$out/gpu-tiers.txt"
fi
