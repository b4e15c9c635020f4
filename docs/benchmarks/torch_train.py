"""Baseline for the training-speed figure: PyTorch trains the same model as `flink-rnn train` (LSTM, 1 input,
hidden 64, window 96, head 64->24, batch 32 windows, MSE, Adam) and prints samples (windows) per second.
Usage: /usr/bin/python3 docs/benchmarks/torch_train.py THREADS [SECONDS]"""
import sys
import time

import torch

threads = int(sys.argv[1])
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
torch.set_num_threads(threads)
torch.manual_seed(1)
# float64: the same precision the Java trainer computes gradients in; float32 also printed for reference.
for dtype in (torch.float64, torch.float32):
    lstm = torch.nn.LSTM(1, 64, batch_first=True).to(dtype)
    head = torch.nn.Linear(64, 24).to(dtype)
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
    x = torch.randn(32, 96, 1, dtype=dtype)
    y = torch.randn(32, 96, 24, dtype=dtype)
    h0 = (torch.zeros(1, 32, 64, dtype=dtype), torch.zeros(1, 32, 64, dtype=dtype))

    def step():
        opt.zero_grad()
        out, _ = lstm(x, h0)
        loss = torch.nn.functional.mse_loss(head(out), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(lstm.parameters()) + list(head.parameters()), 1.0)
        opt.step()

    for _ in range(5):
        step()
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    dt = time.perf_counter() - t0
    print(f"torch={torch.__version__} dtype={str(dtype).replace('torch.', '')} threads={threads} "
          f"samples_per_s={n * 32 / dt:.1f}")
