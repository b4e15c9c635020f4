"""Time to a validation loss on ETTh1, PyTorch side: the plain recipe `flink-rnn train` runs with
--scaling global --relative false --guard false --time-features none (OT only, z-score of the training rows,
nn.LSTM 1 -> 64 + nn.Linear 64 -> 24 at every step, windows of 96 every 24 training rows from a zero state,
batch 64, Adam lr 1e-3, clipping to norm 1, float32). After each epoch the validation MSE over rows
[8640, 11520) is computed the way flink-rnn's report does it: one stateful pass over the whole series, the
forecast at each validation row for each of the next 24 rows that lie inside the validation rows.
Prints one line per epoch: `torch_ett epoch=N seconds=CUMULATIVE validation_mse=...`.
Usage: /usr/bin/python3 docs/benchmarks/torch_ett_time_to_loss.py ETTh1.csv THREADS EPOCHS"""
import csv
import sys
import time

import torch

path, threads, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
with open(path) as f:
    ot = [float(r["OT"]) for r in csv.DictReader(f)]
train_end, val_end, horizon, window = 8640, 11520, 24, 96
series = torch.tensor(ot[:val_end], dtype=torch.float32)
mean, std = series[:train_end].mean(), series[:train_end].std()
z = (series - mean) / std
# targets[t] = z[t+1 .. t+24]; NaN where past the part they are scored in
def targets(end):
    y = torch.full((len(z), horizon), float("nan"))
    for k in range(horizon):
        y[: len(z) - k - 1, k] = z[k + 1:]
    idx = torch.arange(len(z)).unsqueeze(1) + torch.arange(1, horizon + 1)
    y[idx >= end] = float("nan")
    return y
y_train = targets(train_end)
y_all = targets(val_end)
starts = list(range(0, train_end - window, 24))
lstm = torch.nn.LSTM(1, 64, batch_first=True)
head = torch.nn.Linear(64, horizon)
params = list(lstm.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=1e-3)
elapsed = 0.0
for epoch in range(1, epochs + 1):
    t0 = time.perf_counter()
    order = torch.randperm(len(starts)).tolist()
    for b in range(0, len(order), 64):
        idx = [starts[i] for i in order[b:b + 64]]
        x = torch.stack([z[s:s + window] for s in idx]).unsqueeze(2)
        y = torch.stack([y_train[s:s + window] for s in idx])
        mask = ~torch.isnan(y)
        opt.zero_grad()
        out = head(lstm(x)[0])
        loss = ((out - torch.nan_to_num(y)) ** 2)[mask].mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    with torch.no_grad():
        out = head(lstm(z.unsqueeze(0).unsqueeze(2))[0])[0]
        rows = torch.arange(len(z))
        sel = (rows >= train_end).unsqueeze(1) & ~torch.isnan(y_all)
        val = ((out - torch.nan_to_num(y_all)) ** 2)[sel].mean().item()
    elapsed += time.perf_counter() - t0
    print(f"torch_ett epoch={epoch} seconds={elapsed:.2f} validation_mse={val:.5f}", flush=True)
