"""Baseline for the training-speed benchmark: PyTorch trains the same model as `flink-rnn train` (nn.LSTM or
nn.GRU, 1 input, HIDDEN units, window 96, a linear head to 24 outputs at every step, batch BATCH windows, MSE,
Adam, clipping to norm 1) on random data, and prints samples (windows) per second in float32 and float64.
Usage: /usr/bin/python3 docs/benchmarks/torch_train.py CELL HIDDEN THREADS [BATCH] [SECONDS]"""
import sys
import time

import torch

cell = sys.argv[1]
hidden = int(sys.argv[2])
threads = int(sys.argv[3])
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
torch.set_num_threads(threads)
torch.manual_seed(1)
for dtype in (torch.float32, torch.float64):
    rnn = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(1, hidden, batch_first=True).to(dtype)
    head = torch.nn.Linear(hidden, 24).to(dtype)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.randn(batch, 96, 1, dtype=dtype)
    y = torch.randn(batch, 96, 24, dtype=dtype)
    h0 = torch.zeros(1, batch, hidden, dtype=dtype)
    state = (h0, h0.clone()) if cell == "lstm" else h0

    def step():
        opt.zero_grad()
        out, _ = rnn(x, state)
        loss = torch.nn.functional.mse_loss(head(out), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    for _ in range(5):
        step()
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    dt = time.perf_counter() - t0
    print(f"torch={torch.__version__} cell={cell} hidden={hidden} dtype={str(dtype).replace('torch.', '')} "
          f"threads={threads} samples_per_s={n * batch / dt:.1f}")
