"""PyTorch CPU baseline for `flink-rnn bench`: LSTMCell/GRUCell forward, no grad, same shapes and threads.

Prints one line per run in the same form as the CLI's last line:
  key_steps_per_s=N gflops=G cell=lstm batch=B input=F hidden=H threads=T impl=torch-<blas>
Usage: python3 torch_cells.py CELL B F H THREADS SECONDS BLAS_LABEL
"""
import sys
import time

import torch

cell_name, b, f, h, threads, seconds, label = sys.argv[1], *map(int, sys.argv[2:6]), float(sys.argv[6]), sys.argv[7]
torch.set_num_threads(threads)
torch.manual_seed(0)
with torch.no_grad():
    cell = torch.nn.LSTMCell(f, h) if cell_name == "lstm" else torch.nn.GRUCell(f, h)
    x = torch.rand(b, f) * 2 - 1
    hx = torch.zeros(b, h)
    cx = torch.zeros(b, h)

    def step():
        global hx, cx
        if cell_name == "lstm":
            hx, cx = cell(x, (hx, cx))
        else:
            hx = cell(x, hx)

    end = time.perf_counter() + max(0.5, seconds / 3)
    while time.perf_counter() < end:  # warm-up
        step()
    calls = 0
    start = time.perf_counter()
    end = start + seconds
    while True:
        step()
        calls += 1
        if time.perf_counter() >= end:
            break
    elapsed = time.perf_counter() - start
gates = 4 if cell_name == "lstm" else 3
ks = calls * b / elapsed
gflops = ks * 2 * gates * h * (f + h) / 1e9
print(f"key_steps_per_s={ks:.0f} gflops={gflops:.2f} cell={cell_name} batch={b} input={f} hidden={h} "
      f"threads={threads} impl=torch-{label}")
