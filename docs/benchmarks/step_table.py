"""Turns the raw lines of run-step-bench.sh into the markdown table of docs/BENCHMARKS.md (medians)."""
import re
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)
for line in open(sys.argv[1]):
    kv = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))
    if "key_steps_per_s" not in kv:
        continue
    impl = kv["impl"]
    if impl == "java":
        impl = f"java-{kv['threads']}t"
    elif impl.startswith("torch"):
        impl = f"{impl}-{kv['threads']}t"
    runs[(kv["cell"], int(kv["batch"]), int(kv["input"]), int(kv["hidden"]), impl)].append(float(kv["key_steps_per_s"]))

cols = ["java-1t", "java-2t", "opencl-pocl", "torch-generic-1t", "torch-generic-2t", "torch-openblas-1t",
        "torch-openblas-2t"]
print("| cell | B | F | H | " + " | ".join(cols) + " | java-1t / torch-openblas-1t | java-2t / java-1t |")
print("|" + "---|" * (len(cols) + 6))
for key in sorted({k[:4] for k in runs}, key=lambda k: (k[0], k[1], k[3])):
    med = {c: statistics.median(runs[key + (c,)]) for c in cols if runs.get(key + (c,))}
    cells = [f"{med[c] / 1000:,.1f}k" if c in med else "-" for c in cols]
    r1 = med.get("java-1t", 0) / med["torch-openblas-1t"] if med.get("torch-openblas-1t") else float("nan")
    r2 = med.get("java-2t", 0) / med["java-1t"] if med.get("java-1t") else float("nan")
    print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | " + " | ".join(cells) + f" | {r1:.2f}x | {r2:.2f}x |")
print()
print("Medians of key-steps per second over", max(len(v) for v in runs.values()), "interleaved repetitions.")
