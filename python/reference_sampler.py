#!/usr/bin/env python3
"""Reference sampler for MagicDistill model packages, numpy only (docs/MODEL_PACKAGE.md).

Verifies the package's SHA256SUMS, parses weights.safetensors, runs the DiT forward pass of the
Java model (engine.model.VideoDiT) in float64 and the sampler of schedule.json, starting from the
noise that `./magic generate --dump-noise DUMP` wrote, and compares with the Java clips in DUMP:

  python3 python/reference_sampler.py --model PACKAGE --noise DUMP [--tolerance 1e-4] [--out X.npy]

Prints one JSON line (max abs differences); exits 1 when one exceeds --tolerance.
"""
import argparse
import hashlib
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np

FORMATS = ["magicdistill-model-package/2", "magicdistill-model-package/3"]  # /3: x0 models
FILES = ["weights.safetensors", "config.json", "schedule.json", "model-card.json", "model-card.md"]
SIGMA_FEATURES = 64
X0_SIGMA_FLOOR = 0.05  # an x0 model divides by max(sigma, this) (RectifiedFlow)
f32 = np.float32


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def verified_files(pkg):
    """File name -> bytes, each checked against SHA256SUMS before it is used."""
    sums = pkg / "SHA256SUMS"
    if not sums.is_file():
        fail(f"{sums} is missing: copy the whole package folder again")
    files = {}
    for line in sums.read_text().splitlines():
        if not line.strip():
            continue
        digest, name = line[:64].lower(), line[66:]
        data = (pkg / name).read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            fail(f"{name}: sha256 {actual} but SHA256SUMS says {digest}; the file is corrupt")
        files[name] = data
    missing = [f for f in FILES if f not in files]
    if missing:
        fail(f"SHA256SUMS does not list {missing}: re-export the package")
    return files


def safetensors(raw):
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            fail(f"tensor {name} is {t['dtype']}, expected F32")
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").reshape(t["shape"])
    return out


def silu(x):
    return x / (1.0 + np.exp(-x))


_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x):  # exact (erf) GELU, as libtorch's default
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def layer_norm(x):  # no affine: adaLN supplies shift and scale
    c = x - x.mean(axis=-1, keepdims=True)
    return c / np.sqrt((c * c).mean(axis=-1, keepdims=True) + float(f32(1e-6)))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class VideoDiT:
    def __init__(self, cfg, weights):
        self.w = {k: v.astype(np.float64) for k, v in weights.items()}
        clip = cfg["clip"]
        self.t, self.h, self.wd = clip["frames"], clip["height"], clip["width"]
        self.pt, self.p, self.d = cfg["patchFrames"], cfg["patchSize"], cfg["dim"]
        self.heads, self.depth = cfg["heads"], cfg["depth"]
        self.prediction = cfg.get("prediction", "velocity")  # absent before x0 models existed
        self.nt, self.nh, self.nw = self.t // self.pt, self.h // self.p, self.wd // self.p
        rank = cfg["loraRank"]
        # the Java adapter scale s * alpha / r, in float32 (s = 1 in a package)
        self.lora = float(f32(f32(cfg["loraAlpha"]) / f32(rank))) if rank > 0 else 0.0
        self.pos = self.position_table()

    def position_table(self):
        per, d = 2 * (self.d // 6), self.d
        table = np.zeros((self.nt, self.nh, self.nw, d))
        half = per // 2
        freq = 100.0 ** (-np.arange(half) / max(1, half))
        for axis, n in enumerate((self.nt, self.nh, self.nw)):
            arg = np.arange(n)[:, None] * freq[None, :]
            feats = np.concatenate([np.sin(arg), np.cos(arg)], axis=1)
            shape = [1, 1, 1, per]
            shape[axis] = n
            table[..., axis * per:(axis + 1) * per] = feats.reshape(shape)
        return table.reshape(1, -1, d).astype(f32).astype(np.float64)

    def linear(self, name, x):
        y = x @ self.w[name + ".weight"].T + self.w[name + ".bias"]
        if name + ".lora_A.weight" in self.w:
            delta = (x @ self.w[name + ".lora_A.weight"].T) @ self.w[name + ".lora_B.weight"].T
            y = y + delta * self.lora
        return y

    def sigma_features(self, sigma):  # float32 argument, as in Java (1000 sigma is large)
        half = SIGMA_FEATURES // 2
        freqs = (1000.0 * 10000.0 ** (-np.arange(half) / half)).astype(f32)
        arg = (sigma.astype(f32)[:, None] * freqs[None, :]).astype(np.float64)
        return np.concatenate([np.sin(arg), np.cos(arg)], axis=1)

    def patchify(self, x):
        b, c = x.shape[:2]
        x = x.reshape(b, c, self.nt, self.pt, self.nh, self.p, self.nw, self.p)
        x = x.transpose(0, 2, 4, 6, 1, 3, 5, 7)
        return x.reshape(b, self.nt * self.nh * self.nw, c * self.pt * self.p * self.p)

    def unpatchify(self, tokens):
        b = tokens.shape[0]
        x = tokens.reshape(b, self.nt, self.nh, self.nw, 3, self.pt, self.p, self.p)
        return x.transpose(0, 4, 1, 5, 2, 6, 3, 7).reshape(b, 3, self.t, self.h, self.wd)

    def attention(self, prefix, h):
        b, n, d = h.shape
        hd = d // self.heads
        qkv = self.linear(prefix + ".qkv", h).reshape(b, n, 3, self.heads, hd)
        q, k, v = qkv.transpose(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(0, 1, 3, 2)) * float(f32(1.0 / math.sqrt(hd)))
        out = (softmax(scores) @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        return self.linear(prefix + ".proj", out)

    def __call__(self, x, sigma, first):
        """x (B, 3, T, H, W), sigma (B) float32, first (B, 3, H, W): the velocity."""
        b = x.shape[0]
        cond = np.broadcast_to(first[:, :, None], (b, 3, self.t, self.h, self.wd))
        mask = np.zeros((b, 1, self.t, self.h, self.wd))
        mask[:, :, 0] = 1.0
        patches = self.patchify(np.concatenate([x, cond, mask], 1))
        tokens = self.linear("patch_embed", patches)
        tokens = tokens + self.pos
        c = self.linear("sigma_embed.mlp.0", self.sigma_features(sigma))
        c = self.linear("sigma_embed.mlp.2", silu(c))
        for i in range(self.depth):
            pre = f"blocks.{i}"
            mod = np.split(self.linear(pre + ".adaLN_modulation.1", silu(c))[:, None], 6, axis=2)
            h = layer_norm(tokens) * (1 + mod[1]) + mod[0]
            tokens = tokens + mod[2] * self.attention(pre + ".attn", h)
            h = layer_norm(tokens) * (1 + mod[4]) + mod[3]
            mlp = self.linear(pre + ".mlp.fc2", gelu(self.linear(pre + ".mlp.fc1", h)))
            tokens = tokens + mod[5] * mlp
        shift, scale = np.split(self.linear("final_layer.adaLN_modulation.1", silu(c))[:, None], 2, 2)
        out = self.linear("final_layer.linear", layer_norm(tokens) * (1 + scale) + shift)
        if "patch_skip.weight" in self.w:  # config.json's patchSkip: input patch -> output patch
            out = out + self.linear("patch_skip", patches)
        out = self.unpatchify(out)
        if self.prediction == "x0":  # the velocity through the predicted clean clip (JiT)
            floor = np.maximum(sigma.astype(f32), f32(X0_SIGMA_FLOOR)).astype(np.float64)
            out = (x - out) / floor[:, None, None, None, None]
        return out


def sample(model, schedule, noise, first, renoise):
    """schedule.json's sampler; sigmas enter as float32, as the Java sampler passes them."""
    sigmas = schedule["sigmas"]
    x = noise.astype(np.float64)
    for i in range(len(sigmas) - 1):
        s, nxt = sigmas[i], sigmas[i + 1]
        sigma = np.full(x.shape[0], f32(s))
        v = model(x, sigma, first)
        if schedule["sampler"] == "euler":
            x = x + v * float(f32(nxt - s))
        else:  # renoise: x0 = x - sigma v, then fresh noise to the next level
            x0 = x - v * float(f32(s))
            x = x0 if nxt <= 0 else x0 * float(f32(1 - nxt)) + renoise[i] * float(f32(nxt))
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, type=Path, help="model package folder")
    ap.add_argument("--noise", required=True, type=Path, help="file of magic generate --dump-noise")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--out", type=Path, help="write the clips (N, T, H, W, 3) in [0, 1] as .npy")
    args = ap.parse_args()
    files = verified_files(args.model)
    card = json.loads(files["model-card.json"])
    if card.get("format") not in FORMATS:
        fail(f"model-card.json has format {card.get('format')!r}; this sampler reads {' and '.join(FORMATS)}"
             " (PyTorch tensor names): export the package again with the current MagicDistill")
    cfg = json.loads(files["config.json"])
    schedule = json.loads(files["schedule.json"])
    if (schedule["sampler"] not in ("euler", "renoise") or schedule["prediction"] != "velocity"
            or schedule["guidance"] != 1.0):
        fail(f"schedule.json asks for {schedule}; this sampler runs euler or renoise, guidance 1")
    model = VideoDiT(cfg, safetensors(files["weights.safetensors"]))
    dump = {k: v.astype(np.float64) for k, v in safetensors(args.noise.read_bytes()).items()}
    renoise = {int(k.split(".")[1]): v for k, v in dump.items() if k.startswith("renoise.")}
    x = sample(model, schedule, dump["noise"], dump["first_frame"], renoise)
    clip = np.clip((x.transpose(0, 2, 3, 4, 1) + 1.0) * 0.5, 0.0, 1.0)
    if args.out:
        np.save(args.out, clip.astype(np.float32))
    report = {"clips": int(x.shape[0]), "sampler": schedule["sampler"],
              "steps": len(schedule["sigmas"]) - 1}
    for key, ours in (("output", x), ("clip", clip)):
        if key in dump:
            report["max_abs_diff_" + key] = float(np.abs(ours - dump[key]).max())
    print(json.dumps(report))
    worst = max((v for k, v in report.items() if k.startswith("max_abs_diff")), default=0.0)
    return 1 if worst > args.tolerance else 0


if __name__ == "__main__":
    sys.exit(main())
