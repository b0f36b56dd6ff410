#!/usr/bin/python3
"""PyTorch CPU peer of the nngen benchmark.

Builds the network of an nngen .nn spec as a torch.nn.Module (same layers,
padding, loss and SGD learning rate), then times Forward on one example,
ForwardBatch and Step (forward + backward + SGD) exactly as the Go side does
(bench/measure): a warm-up, then REPS repetitions of enough back-to-back calls
to last REP_MS each; median, quartiles and extremes of the per-call time.
Writes one JSON document (the same schema as bench/cmd/nnbench).

Run it with Debian's interpreter, one thread, pinned:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
    taskset -c 1 /usr/bin/python3 bench/torch_bench.py --mode eager SPEC
"""

import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- the spec, parsed just enough to mirror it (docs/language.md) ----

def parse_spec(path):
    """Returns (header dict, layer tree, loss, optimizer options)."""
    hdr = {"batch": 1}
    root, stack, loss, opt = [], [], None, {}
    cur = root
    for raw in open(path):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        if words == ["}"]:
            cur = stack.pop()
            continue
        kw, args = words[0], words[1:]
        opts = dict(a.split("=", 1) for a in args if "=" in a)
        pos = [a for a in args if "=" not in a and a != "{"]
        if kw in ("model", "input", "batch", "dtype"):
            hdr[kw] = pos[0]
        elif kw == "loss":
            loss = pos[0]
        elif kw == "optimizer":
            opt = {k: float(v) for k, v in opts.items()}
        else:
            layer = {"kind": kw, "pos": pos, "opts": opts, "body": []}
            cur.append(layer)
            if args and args[-1] == "{":
                stack.append(cur)
                cur = layer["body"]
    hdr["batch"] = int(hdr["batch"])
    hdr["input"] = tuple(int(d) for d in hdr["input"].split("x"))
    return hdr, root, loss, opt


class Residual(nn.Module):
    """Res(z) = z + f(z) (7.38)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, z):
        return z + self.body(z)


class ScalarLayerNorm(nn.Module):
    """LN (7.41) over all features with one scalar gamma and beta."""

    def __init__(self, shape, eps):
        super().__init__()
        self.shape, self.eps = list(shape), eps
        self.gamma = nn.Parameter(torch.ones(()))
        self.beta = nn.Parameter(torch.zeros(()))

    def forward(self, z):
        return self.beta + self.gamma * F.layer_norm(z, self.shape, eps=self.eps)


ACTIVATIONS = {
    "relu": lambda o: nn.ReLU(),
    "sigmoid": lambda o: nn.Sigmoid(),
    "tanh": lambda o: nn.Tanh(),
    "gelu": lambda o: nn.GELU(),  # exact erf form, as (7.27)
    "leakyrelu": lambda o: nn.LeakyReLU(float(o.get("gamma", 0.01))),
    "softplus": lambda o: nn.Softplus(beta=float(o.get("beta", 1))),
}


def conv_out(n, k, p, s):
    return (n + 2 * p - k) // s + 1


def build_conv(layer, shape):
    o = layer["opts"]
    n, k = int(layer["pos"][0]), int(o["kernel"])
    s, bias = int(o.get("stride", 1)), o.get("bias", "true") == "true"
    p = (k - 1) // 2 if o.get("pad", "same") == "same" else 0
    cls = nn.Conv1d if layer["kind"] == "conv1d" else nn.Conv2d
    mod = cls(shape[0], n, k, stride=s, padding=p, bias=bias)
    return mod, (n,) + tuple(conv_out(d, k, p, s) for d in shape[1:])


def build_layer(layer, shape):
    """Returns the module of one layer and its output shape."""
    kind, o = layer["kind"], layer["opts"]
    if kind == "dense":
        n = int(layer["pos"][0])
        assert len(shape) == 1, "dense needs a vector input"
        return nn.Linear(shape[0], n, bias=o.get("bias", "true") == "true"), (n,)
    if kind in ("conv1d", "conv2d"):
        return build_conv(layer, shape)
    if kind in ACTIVATIONS:
        return ACTIVATIONS[kind](o), shape
    if kind == "flatten":
        size = 1
        for d in shape:
            size *= d
        return nn.Flatten(), (size,)  # channel-major, as nngen's flatten
    if kind == "layernorm":
        eps = float(o.get("eps", 1e-5))
        if o.get("affine", "scalar") == "vector":
            return nn.LayerNorm(list(shape), eps=eps), shape
        return ScalarLayerNorm(shape, eps), shape
    if kind == "residual":
        body, out = build_seq(layer["body"], shape)
        assert out == shape, "residual body changes the shape"
        return Residual(body), shape
    raise ValueError("unknown layer " + kind)


def build_seq(layers, shape):
    mods = []
    for layer in layers:
        mod, shape = build_layer(layer, shape)
        mods.append(mod)
    return nn.Sequential(*mods), shape


def mse_loss(h, y):
    """Mean over the batch of ½‖h − y‖² summed over outputs (7.1), (7.2)."""
    return 0.5 * (h - y).pow(2).sum(dim=1).mean()


LOSSES = {
    "crossentropy": F.cross_entropy,  # −log softmax(t)_y (7.6), mean over the batch
    "logistic": F.binary_cross_entropy_with_logits,  # (7.4) on the single logit
    "mse": mse_loss,
}


def targets(loss, ys):
    """ys in nnbench's format: {class}, {0 or 1}, or the output vector."""
    if loss == "crossentropy":
        return torch.tensor([int(y[0]) for y in ys])
    return torch.tensor(ys, dtype=torch.float32)


def load_reference(path, model, hdr, loss):
    """Loads the reference's weights, batch and results (nnbench -dump)
    into model and returns (x, y, verdict): the check that the module
    mirrors the spec, in float32 against ref's float64."""
    d = json.load(open(path))
    params = list(model.parameters())
    if [p.numel() for p in params] != [len(v) for v in d["params"]]:
        return None, None, "MISMATCH: parameter tensors differ from the spec's"
    x = torch.tensor(d["x"], dtype=torch.float32).reshape((-1,) + hdr["input"])
    y = targets(loss, d["y"])
    with torch.no_grad():
        for p, v in zip(params, d["params"]):
            p.copy_(torch.tensor(v, dtype=torch.float32).reshape(p.shape))
        out = model(x[:1]).flatten()
        J = LOSSES[loss](model(x), y).item()
    ref_out = torch.tensor(d["out0"])
    err = ((out.double() - ref_out).abs() / ref_out.abs().clamp(min=1)).max().item()
    err_j = abs(J - d["loss"]) / max(1, abs(d["loss"]))
    ok = "ok" if err < 1e-3 and err_j < 1e-3 else "MISMATCH"
    return x, y, "%s: differs from ref by %.1e in the forward output, %.1e in the loss (abs, or rel past 1)" % (ok, err, err_j)


# ---- timing: the procedure of bench/measure ----

def run(f, warmup_ns, rep_ns, reps):
    start, calls = time.perf_counter_ns(), 0
    # At least 20 calls: TorchScript's profiling executor optimises a graph
    # only after it has seen a few runs.
    while calls < 20 or time.perf_counter_ns() - start < warmup_ns:
        f()
        calls += 1
    per = max(1, (time.perf_counter_ns() - start) // calls)
    calls = max(1, rep_ns // per)
    samples = []
    for _ in range(reps):
        t = time.perf_counter_ns()
        for _ in range(calls):
            f()
        samples.append((time.perf_counter_ns() - t) / calls)
    return summarise(samples, calls)


def quantile(s, q):
    pos = q * (len(s) - 1)
    i = int(pos)
    if i + 1 >= len(s):
        return s[-1]
    return s[i] + (pos - i) * (s[i + 1] - s[i])


def summarise(samples, calls):
    s = sorted(samples)
    return {"median": quantile(s, 0.5), "q1": quantile(s, 0.25),
            "q3": quantile(s, 0.75), "min": s[0], "max": s[-1],
            "reps": len(s), "calls": calls, "samples": samples}


# ---- the three operations ----

def operations(model, mode, xb, loss_fn, y, lr, momentum):
    """Returns {op name: zero-argument callable}."""
    x1 = xb[:1].clone()
    train = model
    infer = model
    if mode == "script":
        train = torch.jit.script(model)
        infer = torch.jit.freeze(torch.jit.script(model).eval())
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

    def forward1():
        with torch.inference_mode():
            infer(x1)

    def forward_batch():
        with torch.inference_mode():
            infer(xb)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(train(xb), y).backward()
        opt.step()

    return {"forward1": forward1, "forwardbatch": forward_batch, "step": step}


def blas_library():
    for line in open("/proc/self/maps"):
        if "blas" in line:
            return os.path.basename(line.split()[-1])
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--mode", choices=("eager", "script"), default="eager")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--rep-ms", type=float, default=20)
    ap.add_argument("--warmup-ms", type=float, default=100)
    ap.add_argument("--ops", default="forward1,forwardbatch,step")
    ap.add_argument("--check", help="nnbench -dump output: weights, data, expected results")
    ap.add_argument("-o", "--out", default="-")
    a = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(1)
    hdr, layers, loss, opt = parse_spec(a.spec)
    model, out_shape = build_seq(layers, hdr["input"])
    verdict = "not checked"
    if a.check:
        xb, y, verdict = load_reference(a.check, model, hdr, loss)
    if not a.check or xb is None:
        xb = torch.rand((hdr["batch"],) + hdr["input"]) * 2 - 1
        y = targets(loss, [[b % out_shape[0]] if loss == "crossentropy" else
                           [float(b % 2)] * out_shape[0] for b in range(hdr["batch"])])
    ops = operations(model, a.mode, xb, LOSSES[loss], y,
                     opt.get("lr", 0.01), opt.get("momentum", 0.0))
    results = []
    for name in a.ops.split(","):
        st = run(ops[name], int(a.warmup_ms * 1e6), int(a.rep_ms * 1e6), a.reps)
        st["op"] = name
        results.append(st)
    doc = {
        "impl": "torch-" + a.mode,
        "network": os.path.splitext(os.path.basename(a.spec))[0],
        "model": hdr["model"],
        "batch": hdr["batch"],
        "params": sum(p.numel() for p in model.parameters()),
        "results": results,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "check": verdict,
        "info": "torch %s, %d thread, %s" % (torch.__version__,
                                              torch.get_num_threads(),
                                              blas_library()),
    }
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    json.dump(doc, out, indent=1)
    out.write("\n")


if __name__ == "__main__":
    main()
