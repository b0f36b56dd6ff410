"""Export a small PyTorch-trained network for nngen's PyTorch parity test.

The network is the one in testdata/torch/torchnet.nn, layer for layer:

    conv2d 4 kernel=3 (pad same) -> relu -> layernorm over [4,8,8] (affine)
    -> flatten (channel-major) -> dense 16 -> tanh -> dense 12 -> gelu (erf)
    -> dense 3 (logits)

It is initialised with PyTorch's default init under torch.manual_seed(0), the
LayerNorm weight and bias are perturbed away from 1 and 0, and it is trained
for 20 SGD steps on random data. The script then writes, into testdata/torch/:

    torchnet_f32.safetensors         state_dict (conv.weight, ..., fc3.bias), F32
    torchnet_f64.safetensors         the same, F64
    torchnet_f16.safetensors         the same, F16  (torch .half())
    torchnet_bf16.safetensors        the same, BF16 (torch .to(torch.bfloat16),
                                     which rounds to nearest even)
    torchnet_sequential.safetensors  the F32 weights under nn.Sequential keys
                                     (0.weight, 0.bias, 2.*, 4.*, 6.*, 8.*)
    torchnet_ddp.safetensors         the F32 weights, keys prefixed "module."
    torchnet_io.safetensors          input F32 [8,2,8,8]; output F32 [8,3] =
                                     logits in float32 eval mode; output64 F64
                                     [8,3] = logits with model and input in
                                     float64
    PROVENANCE.md                    what each file is and how it was made

The safetensors files are written by hand (struct + json), so the
`safetensors` Python package is not needed: an 8-byte little-endian uint64 N,
N bytes of UTF-8 JSON (padded with spaces so 8+N is a multiple of 8), then
the raw little-endian row-major tensor bytes, contiguous, in state_dict order.
After writing, every file is read back and checked.

Rerun from the repository root with Debian's python3-torch (1.13, CPU;
`apt-get install python3-torch python3-numpy`):

    /usr/bin/python3 testdata/torch/export.py

The output is deterministic: rerunning rewrites byte-identical safetensors
files (PROVENANCE.md changes only in its date).
"""

import copy
import datetime
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.dirname(os.path.abspath(__file__))

SEED = 0
TRAIN_STEPS = 20
BATCH = 4
LR = 0.1
IO_SEED = 1
IO_N = 8

# Safetensors dtype name -> (torch dtype, numpy little-endian dtype, bytes).
DTYPES = {
    "F32": (torch.float32, "<f4", 4),
    "F64": (torch.float64, "<f8", 8),
    "F16": (torch.float16, "<f2", 2),
    "BF16": (torch.bfloat16, "<u2", 2),
}

SPEC = """\
# torchnet.nn: the network of testdata/torch/export.py, layer for layer;
# its parameters read PyTorch's state_dict names unchanged (name=).
model torchnet
input 2x8x8
batch 4

conv2d 4 kernel=3 name=conv
relu
layernorm affine=vector name=norm
flatten
dense 16 name=fc1
tanh
dense 12 name=fc2
gelu
dense 3 name=fc3

loss crossentropy
optimizer sgd lr=0.1
"""


class TorchNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.norm = nn.LayerNorm([4, 8, 8], eps=1e-5)
        self.fc1 = nn.Linear(4 * 8 * 8, 16)
        self.fc2 = nn.Linear(16, 12)
        self.fc3 = nn.Linear(12, 3)

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = self.norm(x)
        x = x.flatten(1)
        x = torch.tanh(self.fc1(x))
        x = F.gelu(self.fc2(x))  # exact erf form (approximate="none")
        return self.fc3(x)


# ---- safetensors, by hand ----------------------------------------------


def tensor_bytes(t, dtype):
    """Row-major little-endian bytes of t converted to dtype."""
    tdt, npdt, _ = DTYPES[dtype]
    t = t.detach().to(tdt).contiguous()
    if dtype == "BF16":
        # Bits of torch's own bfloat16 value: view as int16, reinterpret.
        a = t.view(torch.int16).numpy().view(np.uint16)
    else:
        a = t.numpy()
    return a.astype(npdt, copy=False).tobytes(order="C")


def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, torch tensor, dtype name), written in order."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs = []
    off = 0
    for name, t, dtype in tensors:
        b = tensor_bytes(t, dtype)
        assert len(b) == t.numel() * DTYPES[dtype][2]
        header[name] = {
            "dtype": dtype,
            "shape": list(t.shape),
            "data_offsets": [off, off + len(b)],
        }
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((-(8 + len(h))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Returns (metadata, list of (name, dtype, shape, numpy array))."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert (8 + n) % 8 == 0, path
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data = raw[8 + n :]
    meta = header.pop("__metadata__", None)
    out = []
    off = 0
    for name, info in header.items():
        dtype, shape = info["dtype"], info["shape"]
        begin, end = info["data_offsets"]
        assert begin == off, (path, name, "offsets not contiguous")
        size = DTYPES[dtype][2] * int(np.prod(shape, dtype=np.int64))
        assert end - begin == size, (path, name, "size mismatch")
        a = np.frombuffer(data[begin:end], dtype=DTYPES[dtype][1]).reshape(shape)
        out.append((name, dtype, shape, a))
        off = end
    assert off == len(data), (path, "trailing bytes")
    return meta, out


def expected_array(t, dtype):
    """What a file entry of t in dtype must hold, as a numpy array."""
    t = t.detach()
    if dtype == "BF16":
        return t.to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    return t.to(DTYPES[dtype][0]).numpy()


def check_file(path, tensors, metadata):
    meta, got = read_safetensors(path)
    assert meta == metadata, (path, meta)
    assert [g[0] for g in got] == [t[0] for t in tensors], path
    for (name, dtype, shape, a), (_, t, want_dtype) in zip(got, tensors):
        assert dtype == want_dtype and shape == list(t.shape), (path, name)
        want = expected_array(t, dtype)
        # Bitwise equality (compare raw bytes, so NaN/-0 would count too).
        assert a.tobytes() == want.astype(a.dtype).tobytes(), (path, name)
        if dtype == "BF16":
            # BF16 bits are the top 16 bits of the float32 pattern of the
            # rounded value.
            f = (a.astype(np.uint32) << 16).view(np.float32)
            assert np.array_equal(f, t.detach().to(torch.bfloat16).float().numpy())


# ---- the network -----------------------------------------------------------


def build_and_train():
    torch.manual_seed(SEED)
    model = TorchNet()
    with torch.no_grad():
        model.norm.weight.add_(0.1 * torch.randn_like(model.norm.weight))
        model.norm.bias.add_(0.1 * torch.randn_like(model.norm.bias))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    model.train()
    losses = []
    for _ in range(TRAIN_STEPS):
        x = torch.randn(BATCH, 2, 8, 8)
        y = torch.randint(0, 3, (BATCH,))
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    return model, losses


def main():
    torch.set_num_threads(1)  # fixed reduction order, for determinism
    torch.use_deterministic_algorithms(True)
    assert nn.GELU().approximate == "none"

    model, losses = build_and_train()
    sd = model.state_dict()
    keys = list(sd.keys())
    assert keys == [
        "conv.weight", "conv.bias", "norm.weight", "norm.bias",
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
        "fc3.weight", "fc3.bias",
    ], keys

    gen = torch.Generator().manual_seed(IO_SEED)
    x = torch.randn(IO_N, 2, 8, 8, generator=gen)
    with torch.no_grad():
        out = model(x)
        m64 = copy.deepcopy(model).double()
        out64 = m64(x.double())

    # The forward pass is the one described in torchnet.nn: check it
    # against explicit functional ops (LayerNorm over all of C,H,W).
    with torch.no_grad():
        h = F.relu(F.conv2d(x, sd["conv.weight"], sd["conv.bias"], padding=1))
        mu = h.mean(dim=(1, 2, 3), keepdim=True)
        var = h.var(dim=(1, 2, 3), unbiased=False, keepdim=True)
        h = (h - mu) / torch.sqrt(var + 1e-5) * sd["norm.weight"] + sd["norm.bias"]
        h = h.flatten(1)
        h = torch.tanh(h @ sd["fc1.weight"].T + sd["fc1.bias"])
        h = h @ sd["fc2.weight"].T + sd["fc2.bias"]
        h = 0.5 * h * (1 + torch.erf(h / 2**0.5))
        h = h @ sd["fc3.weight"].T + sd["fc3.bias"]
    assert torch.allclose(h, out, atol=1e-5, rtol=1e-5), (h - out).abs().max()
    assert torch.allclose(out64, out.double(), atol=1e-4), (out64 - out).abs().max()

    seq = nn.Sequential(
        model.conv, nn.ReLU(), model.norm, nn.Flatten(),
        model.fc1, nn.Tanh(), model.fc2, nn.GELU(), model.fc3,
    ).eval()
    with torch.no_grad():
        assert torch.equal(seq(x), out)
    seq_sd = seq.state_dict()
    assert list(seq_sd.keys()) == [
        "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
        "6.weight", "6.bias", "8.weight", "8.bias",
    ], list(seq_sd.keys())

    pt = {"format": "pt"}
    files = {}
    for dt in ("F32", "F64", "F16", "BF16"):
        files["torchnet_%s.safetensors" % dt.lower()] = (
            [(k, v, dt) for k, v in sd.items()], pt)
    files["torchnet_sequential.safetensors"] = (
        [(k, v, "F32") for k, v in seq_sd.items()], pt)
    files["torchnet_ddp.safetensors"] = (
        [("module." + k, v, "F32") for k, v in sd.items()], pt)
    files["torchnet_io.safetensors"] = (
        [("input", x, "F32"), ("output", out, "F32"), ("output64", out64, "F64")],
        pt)

    for name, (tensors, meta) in files.items():
        path = os.path.join(OUT, name)
        write_safetensors(path, tensors, meta)
        check_file(path, tensors, meta)

    # The io file's output is the model's output on the io file's input.
    _, io = read_safetensors(os.path.join(OUT, "torchnet_io.safetensors"))
    io = {n: a for n, _, _, a in io}
    with torch.no_grad():
        assert torch.equal(model(torch.from_numpy(io["input"].copy())),
                           torch.from_numpy(io["output"].copy()))
        assert torch.equal(m64(torch.from_numpy(io["input"].copy()).double()),
                           torch.from_numpy(io["output64"].copy()))
    # Weights read back from the sequential and ddp files equal sd.
    for fname, prefix in (("torchnet_f32.safetensors", ""),
                          ("torchnet_ddp.safetensors", "module.")):
        _, got = read_safetensors(os.path.join(OUT, fname))
        for (n, _, _, a), (k, v) in zip(got, sd.items()):
            assert n == prefix + k and a.tobytes() == v.numpy().tobytes()

    with open(os.path.join(OUT, "torchnet.nn"), "w") as f:
        f.write(SPEC)

    write_provenance(files, losses, out)

    print("torch", torch.__version__)
    print("loss first/last: %.6f / %.6f" % (losses[0], losses[-1]))
    print("output[:2] =", out[:2].tolist())
    for name in sorted(files) + ["torchnet.nn", "PROVENANCE.md"]:
        print("%-34s %6d bytes" % (name, os.path.getsize(os.path.join(OUT, name))))


def write_provenance(files, losses, out):
    lines = [
        "# testdata/torch: PyTorch-trained weights for the parity test",
        "",
        "Made by `testdata/torch/export.py`; rerun from the repository root:",
        "",
        "    /usr/bin/python3 testdata/torch/export.py",
        "",
        "- torch version: %s (Debian python3-torch, CPU), numpy %s"
        % (torch.__version__, np.__version__),
        "- date: %s" % datetime.date.today().isoformat(),
        "- seed: torch.manual_seed(%d); %d SGD steps (lr=%g, batch %d) of "
        "cross-entropy on random normal inputs and random labels; "
        "training loss %.6f -> %.6f"
        % (SEED, TRAIN_STEPS, LR, BATCH, losses[0], losses[-1]),
        "",
        "The network is `torchnet.nn` (conv2d 4 kernel=3 pad same, relu, "
        "layernorm over [4,8,8] with eps=1e-5 and per-element weight and bias, "
        "flatten channel-major, dense 16, tanh, dense 12, gelu (erf form), "
        "dense 3 → logits). Its LayerNorm weight and bias were perturbed by "
        "0.1·N(0,1) from 1 and 0 before training.",
        "",
        "All safetensors files have `__metadata__` {\"format\":\"pt\"}, tensors "
        "in state_dict order, row-major, little-endian, contiguous.",
        "",
        "| file | contents |",
        "|---|---|",
        "| `torchnet.nn` | the nngen spec of the network; parameters named "
        "as in the state_dict (`name=conv` etc.) |",
        "| `torchnet_f32.safetensors` | state_dict, F32: conv.weight [4,2,3,3], "
        "conv.bias [4], norm.weight [4,8,8], norm.bias [4,8,8], fc1.weight "
        "[16,256], fc1.bias [16], fc2.weight [12,16], fc2.bias [12], "
        "fc3.weight [3,12], fc3.bias [3] |",
        "| `torchnet_f64.safetensors` | the same, F64 (exact widening) |",
        "| `torchnet_f16.safetensors` | the same, F16 (`tensor.half()`) |",
        "| `torchnet_bf16.safetensors` | the same, BF16 "
        "(`tensor.to(torch.bfloat16)`: round to nearest even, not truncation) |",
        "| `torchnet_sequential.safetensors` | the F32 weights under "
        "`nn.Sequential(conv, ReLU, norm, Flatten, fc1, Tanh, fc2, GELU, fc3)` "
        "keys: 0.*, 2.*, 4.*, 6.*, 8.* |",
        "| `torchnet_ddp.safetensors` | the F32 weights, keys prefixed "
        "`module.` (as DistributedDataParallel) |",
        "| `torchnet_io.safetensors` | `input` F32 [8,2,8,8] "
        "(torch.randn, generator seed %d); `output` F32 [8,3] = logits, float32, "
        "eval mode, no_grad; `output64` F64 [8,3] = logits with model and input "
        "in float64 |" % IO_SEED,
        "",
        "First logits (float32): %s" % json.dumps(
            [round(v, 6) for v in out[0].tolist()]),
        "",
    ]
    with open(os.path.join(OUT, "PROVENANCE.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
