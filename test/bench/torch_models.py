"""PyTorch references for `npm run bench -- gpu` (test/bench/gpu.ts): the paper's five workloads, built
layer for layer as cardigan builds them, timed the same way on the same device.

  spade     NVlabs/SPADE as nodes/spade builds it (generator: fc, head_0, G_middle_0/1, up_0..up_3,
            conv_img; SPADE layers with parameter-free batch norm and a 128-channel shared conv;
            spectral norm on the residual blocks' convs; 2-scale PatchGAN discriminator with spectral
            norm + instance norm), one training step = a generator step (hinge + feature matching)
            then a discriminator step on a detached fake, Adam (0, 0.999), TTUR; no VGG, no VAE head
            (paper.yaml's train-spade)
  unet      vital's CAMUS U-Net (torch_reference.py's UNet), Adam, cross-entropy
  enet      test/models/reference/enet_torch.py, Adam, cross-entropy
  mask-vae  vital's VariationalAutoencoder2d as nodes/mask-vae builds it (ConvEluBn blocks, dense
            mu/logvar heads and projection), Adam, cross-entropy + soft Dice + 0.05 KL
  generate  the SPADE generator in evaluation mode, no gradients

Prints one JSON object per model (one line each): model, params (trainable; for spade the generator's
and the discriminator's), images_per_s (median of --steps after --warmup), device, torch_version,
max_memory_mb (CUDA only). Parameter counts are what gpu.ts checks against cardigan's models.

    python3 test/bench/torch_models.py --model enet --size 256 --batch 8 [--device cuda] [--width 16]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "models", "reference"))

LEAKY = 0.2


def sn(conv, on):
    return nn.utils.spectral_norm(conv) if on else conv


class Spade(nn.Module):
    def __init__(self, channels, label_nc, hidden):
        super().__init__()
        self.param_free_norm = nn.BatchNorm2d(channels, affine=False)
        self.mlp_shared = nn.Sequential(nn.Conv2d(label_nc, hidden, 3, padding=1), nn.ReLU())
        self.mlp_gamma = nn.Conv2d(hidden, channels, 3, padding=1)
        self.mlp_beta = nn.Conv2d(hidden, channels, 3, padding=1)

    def forward(self, x, segmap):
        normalized = self.param_free_norm(x)
        actv = self.mlp_shared(F.interpolate(segmap, size=x.shape[2:], mode="nearest"))
        return normalized * (1 + self.mlp_gamma(actv)) + self.mlp_beta(actv)


class SpadeResBlock(nn.Module):
    def __init__(self, fin, fout, label_nc, hidden, spectral=True):
        super().__init__()
        fmiddle = min(fin, fout)
        self.learned = fin != fout
        self.conv_0 = sn(nn.Conv2d(fin, fmiddle, 3, padding=1), spectral)
        self.conv_1 = sn(nn.Conv2d(fmiddle, fout, 3, padding=1), spectral)
        if self.learned:
            self.conv_s = sn(nn.Conv2d(fin, fout, 1, bias=False), spectral)
        self.norm_0 = Spade(fin, label_nc, hidden)
        self.norm_1 = Spade(fmiddle, label_nc, hidden)
        if self.learned:
            self.norm_s = Spade(fin, label_nc, hidden)

    def forward(self, x, seg):
        x_s = self.conv_s(self.norm_s(x, seg)) if self.learned else x
        dx = self.conv_0(F.leaky_relu(self.norm_0(x, seg), LEAKY))
        dx = self.conv_1(F.leaky_relu(self.norm_1(dx, seg), LEAKY))
        return x_s + dx


class SpadeGenerator(nn.Module):
    def __init__(self, size, nf, label_nc=4, out_nc=1, hidden=128):
        super().__init__()
        self.latent = size // 32
        self.fc = nn.Conv2d(label_nc, 16 * nf, 3, padding=1)
        channels = [(16, 16), (16, 16), (16, 16), (16, 8), (8, 4), (4, 2), (2, 1)]
        names = ["head_0", "G_middle_0", "G_middle_1", "up_0", "up_1", "up_2", "up_3"]
        self.blocks = nn.ModuleDict({n: SpadeResBlock(a * nf, b * nf, label_nc, hidden) for n, (a, b) in zip(names, channels)})
        self.conv_img = nn.Conv2d(nf, out_nc, 3, padding=1)

    def forward(self, seg):
        x = self.fc(F.interpolate(seg, size=(self.latent, self.latent), mode="nearest"))
        for name, up in zip(self.blocks, [False, True, False, True, True, True, True]):
            if up:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = self.blocks[name](x, seg)
        return torch.tanh(self.conv_img(F.leaky_relu(x, LEAKY)))


class PatchDiscriminator(nn.Module):
    def __init__(self, in_nc, ndf, spectral=True):
        super().__init__()
        layers = [nn.Conv2d(in_nc, ndf, 4, 2, 2)]
        nf = ndf
        for n in range(1, 4):
            prev, nf = nf, min(nf * 2, 512)
            layers.append(sn(nn.Conv2d(prev, nf, 4, 1 if n == 3 else 2, 2, bias=False), spectral))
        layers.append(nn.Conv2d(nf, 1, 4, 1, 2))
        self.convs = nn.ModuleList(layers)

    def forward(self, x):
        outs = []
        for n, conv in enumerate(self.convs):
            x = conv(x)
            if n < 4:
                if n > 0:
                    x = F.instance_norm(x)
                x = F.leaky_relu(x, LEAKY)
            outs.append(x)
        return outs


class SpadeDiscriminator(nn.Module):
    def __init__(self, in_nc, ndf, num_d=2):
        super().__init__()
        self.scales = nn.ModuleList([PatchDiscriminator(in_nc, ndf) for _ in range(num_d)])

    def forward(self, x):
        result = []
        for i, d in enumerate(self.scales):
            if i > 0:
                x = F.avg_pool2d(x, 3, 2, 1, count_include_pad=False)
            result.append(d(x))
        return result


def spade_step_fn(size, batch, nf, hidden, device):
    g = SpadeGenerator(size, nf, hidden=hidden).to(device)
    d = SpadeDiscriminator(5, nf).to(device)
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.0, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=4e-4, betas=(0.0, 0.999))
    labels = torch.randint(0, 4, (batch, size, size), device=device)
    seg = F.one_hot(labels, 4).permute(0, 3, 1, 2).float()
    real = torch.rand(batch, 1, size, size, device=device) * 2 - 1

    def discriminate(fake):
        out = d(torch.cat([torch.cat([seg, fake], 1), torch.cat([seg, real], 1)], 0))
        return [[t[:batch] for t in s] for s in out], [[t[batch:] for t in s] for s in out]

    def step():
        opt_g.zero_grad()
        pred_fake, pred_real = discriminate(g(seg))
        hinge = sum(-p[-1].mean() for p in pred_fake) / len(pred_fake)
        feat = sum(F.l1_loss(f, r.detach()) for pf, pr in zip(pred_fake, pred_real) for f, r in zip(pf[:-1], pr[:-1])) * 10 / len(pred_fake)
        (hinge + feat).backward()
        opt_g.step()
        opt_d.zero_grad()
        with torch.no_grad():
            fake = g(seg)
        pred_fake, pred_real = discriminate(fake)
        loss_d = sum(F.relu(1 + p[-1]).mean() for p in pred_fake) / len(pred_fake) + sum(F.relu(1 - p[-1]).mean() for p in pred_real) / len(pred_real)
        loss_d.backward()
        opt_d.step()

    params = {"generator": count(g), "discriminator": count(d)}
    return step, params


def generate_step_fn(size, batch, nf, hidden, device):
    g = SpadeGenerator(size, nf, hidden=hidden).to(device).eval()
    labels = torch.randint(0, 4, (batch, size, size), device=device)
    seg = F.one_hot(labels, 4).permute(0, 3, 1, 2).float()

    def step():
        with torch.no_grad():
            g(seg).cpu()

    return step, {"generator": count(g)}


class ConvEluBn(nn.Module):
    def __init__(self, cin, cout, kind):
        super().__init__()
        if kind == "up":
            self.conv = nn.ConvTranspose2d(cin, cout, 2, 2)
        else:
            self.conv = nn.Conv2d(cin, cout, 3, 2 if kind == "down" else 1, 1)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(F.elu(self.conv(x)))


class MaskVae(nn.Module):
    def __init__(self, size=256, blocks=4, c=48, latent=32, classes=4):
        super().__init__()
        self.side, self.c = size // 2 ** (blocks + 1), c
        enc, ch = [], classes
        for i in range(blocks):
            out = c * 2 ** i
            enc += [ConvEluBn(ch, out, "down"), ConvEluBn(out, out, "same")]
            ch = out
        enc.append(ConvEluBn(ch, c, "down"))
        self.encoder = nn.Sequential(*enc)
        features = c * self.side * self.side
        self.mu, self.logvar = nn.Linear(features, latent), nn.Linear(features, latent)
        self.project = nn.Linear(latent, features)
        dec, ch = [], c
        for i in range(blocks):
            out = c * 2 ** (blocks - 1 - i)
            dec += [ConvEluBn(ch, out, "up"), ConvEluBn(out, out, "same")]
            ch = out
        dec.append(ConvEluBn(ch, ch, "up"))
        self.decoder = nn.Sequential(*dec)
        self.classifier = nn.Conv2d(ch, classes, 3, padding=1)

    def forward(self, x):
        h = self.encoder(x).flatten(1)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        maps = F.elu(self.project(z)).view(-1, self.c, self.side, self.side)
        return self.classifier(self.decoder(maps)), mu, logvar


def mask_vae_step_fn(size, batch, device):
    blocks = next(b for b in range(1, 9) if size // 2 ** (b + 1) <= 8)
    model = MaskVae(size, blocks).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    labels = torch.randint(0, 4, (batch, size, size), device=device)
    onehot = F.one_hot(labels, 4).permute(0, 3, 1, 2).float()

    def step():
        opt.zero_grad()
        logits, mu, logvar = model(onehot)
        ce = F.cross_entropy(logits, labels)
        p, g = torch.softmax(logits, 1)[:, 1:], onehot[:, 1:]
        dice = 1 - ((2 * (p * g).sum((0, 2, 3)) + 1) / (p.sum((0, 2, 3)) + g.sum((0, 2, 3)) + 1)).mean()
        kl = 0.5 * (mu ** 2 + logvar.exp() - logvar - 1).sum(1).mean()
        (ce + dice + 0.05 * kl).backward()
        opt.step()

    return step, {"model": count(model)}


def segmentation_step_fn(net, size, batch, width, device):
    if net == "unet":
        from torch_reference import UNet

        model = UNet(c=width)
    else:
        from enet_torch import ENet

        model = ENet(width)
    model = model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.rand(batch, 1, size, size, device=device)
    labels = torch.randint(0, 4, (batch, size, size), device=device)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        opt.step()

    return step, {"model": count(model)}


def count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def images_per_s(step, batch, steps, warmup, device):
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    for _ in range(warmup):
        step()
    sync()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - start)
    return batch / statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, choices=["spade", "unet", "enet", "mask-vae", "generate"])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--width", type=int, help="U-Net initChannels, ENet w, SPADE ngf = ndf")
    parser.add_argument("--hidden", type=int, default=128, help="SPADE's hidden channels")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--device", default="auto", help="cpu, cuda, or auto (cuda when available)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (the wasm comparison uses 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device)
    if args.model == "spade":
        step, params = spade_step_fn(args.size, args.batch, args.width or 48, args.hidden, device)
    elif args.model == "generate":
        step, params = generate_step_fn(args.size, args.batch, args.width or 48, args.hidden, device)
    elif args.model == "mask-vae":
        step, params = mask_vae_step_fn(args.size, args.batch, device)
    else:
        step, params = segmentation_step_fn(args.model, args.size, args.batch, args.width or (32 if args.model == "unet" else 16), device)
    rate = images_per_s(step, args.batch, args.steps, args.warmup, device)
    figures = {"model": args.model, "params": params, "images_per_s": round(rate, 3), "device": str(device), "torch_version": torch.__version__}
    if device.type == "cuda":
        figures["max_memory_mb"] = round(torch.cuda.max_memory_allocated() / 2 ** 20, 1)
        figures["gpu"] = torch.cuda.get_device_name()
    else:
        figures["threads"] = torch.get_num_threads()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
