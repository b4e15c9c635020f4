"""PyTorch CPU baseline for `flink-rnn bench`: LSTMCell/GRUCell forward, no grad, same shapes and threads.

Prints one line per run in the same form as the CLI's last line:
  key_steps_per_s=N gflops=G cell=lstm batch=B input=F hidden=H threads=T impl=torch-<blas>
Usage: python3 torch_cells.py CELL B F H THREADS SECONDS BLAS_LABEL [MODE]

MODE (default cpu) is where the cell runs:
  cpu             the CPU, THREADS threads
  cuda-resident   a CUDA GPU with the states kept on it between steps (PyTorch's best case; one sync at the end)
  cuda-roundtrip  a CUDA GPU, with inputs and states coming from host memory and the new states going back
                  to it every step: what an operator that keeps each key's state in Flink state must do, and
                  what `flink-rnn bench --backend opencl` measures
"""
import sys
import time

import torch

cell_name, b, f, h, threads, seconds, label = sys.argv[1], *map(int, sys.argv[2:6]), float(sys.argv[6]), sys.argv[7]
mode = sys.argv[8] if len(sys.argv) > 8 else "cpu"
torch.set_num_threads(threads)
torch.manual_seed(0)
gpu = torch.device("cuda") if mode.startswith("cuda") else None
with torch.no_grad():
    cell = torch.nn.LSTMCell(f, h) if cell_name == "lstm" else torch.nn.GRUCell(f, h)
    x = torch.rand(b, f) * 2 - 1
    hx = torch.zeros(b, h)
    cx = torch.zeros(b, h)
    if gpu is not None:
        cell = cell.to(gpu)
    if mode == "cuda-resident":
        x, hx, cx = x.to(gpu), hx.to(gpu), cx.to(gpu)

    def advance(xs, hs, cs):
        if cell_name == "lstm":
            return cell(xs, (hs, cs))
        return cell(xs, hs), cs

    def step():
        global hx, cx
        if mode == "cuda-roundtrip":
            hn, cn = advance(x.to(gpu), hx.to(gpu), cx.to(gpu))
            hx, cx = hn.cpu(), cn.cpu()
        else:
            hx, cx = advance(x, hx, cx)

    def sync():
        if gpu is not None:
            torch.cuda.synchronize()

    end = time.perf_counter() + max(0.5, seconds / 3)
    while time.perf_counter() < end:  # warm-up
        step()
    sync()
    calls = 0
    start = time.perf_counter()
    end = start + seconds
    while True:
        step()
        calls += 1
        if time.perf_counter() >= end:
            break
    sync()
    elapsed = time.perf_counter() - start
gates = 4 if cell_name == "lstm" else 3
ks = calls * b / elapsed
gflops = ks * 2 * gates * h * (f + h) / 1e9
print(f"key_steps_per_s={ks:.0f} gflops={gflops:.2f} cell={cell_name} batch={b} input={f} hidden={h} "
      f"threads={threads} impl=torch-{label}")
