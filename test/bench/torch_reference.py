"""PyTorch figures for the same shapes as cardigan's backend and models benches (test/bench/backend.ts,
test/bench/models.ts).

Prints one JSON object: conv_fwd_gflops, conv_fwdbwd_gflops, unet128_train_images_per_s,
unet256_train_images_per_s, torch_version, threads; with --only enet, enet_params and
enet<size>_train_images_per_s for each of --enet-sizes (the ENet of test/models/reference/enet_torch.py,
layer for layer nodes/segmentation/enet.ts, Adam, cross-entropy, batch --enet-batch). The U-Net is the one of test/bench/unet.ts
(vital's CAMUS U-Net): blocks of two (3x3 conv + bias -> ReLU -> batch norm), 32, 32, 64, 128, 128
channels over 5 poolings, nearest upsampling + concatenation, 1x1 classifier to 4 classes, Adam.
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


def median_ms(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def block(cin, cout):
    layers = []
    for inputs in (cin, cout):
        layers += [nn.Conv2d(inputs, cout, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers)


class UNet(nn.Module):
    def __init__(self, c=32, classes=4):
        super().__init__()
        enc = [c, c, 2 * c, 4 * c, 4 * c]
        self.encoders = nn.ModuleList()
        previous = 1
        for out in enc:
            self.encoders.append(block(previous, out))
            previous = out
        self.bottleneck = block(4 * c, 4 * c)
        self.decoders = nn.ModuleList()
        previous = 4 * c
        for i, out in enumerate([4 * c, 4 * c, 2 * c, c, c // 2]):
            self.decoders.append(block(previous + enc[len(enc) - 1 - i], out))
            previous = out
        self.classifier = nn.Conv2d(c // 2, classes, 1)

    def forward(self, x):
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for i, decoder in enumerate(self.decoders):
            x = decoder(torch.cat([F.interpolate(x, scale_factor=2, mode="nearest"), skips[-1 - i]], 1))
        return self.classifier(x)


def conv_figures(repeats):
    torch.manual_seed(0)
    x = torch.randn(4, 32, 128, 128)
    w = torch.randn(32, 32, 3, 3)
    flops = 2 * 4 * 128 * 128 * 9 * 32 * 32
    with torch.no_grad():
        fwd = median_ms(lambda: F.conv2d(x, w, padding=1), repeats)
    xg = x.clone().requires_grad_(True)
    wg = w.clone().requires_grad_(True)
    g = torch.randn(4, 32, 128, 128)

    def fwdbwd():
        xg.grad = None
        wg.grad = None
        F.conv2d(xg, wg, padding=1).backward(g)

    both = median_ms(fwdbwd, repeats)
    return flops / fwd / 1e6, 3 * flops / both / 1e6


def unet_images_per_s(size, batch, steps):
    torch.manual_seed(0)
    model = UNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.rand(batch, 1, size, size)
    labels = torch.randint(0, 4, (batch, size, size))

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()

    return batch / (median_ms(step, steps) / 1000)


def enet_figures(sizes, batch, steps, width):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "reference"))
    from enet_torch import ENet

    figures = {"enet_params": sum(p.numel() for p in ENet(width).parameters() if p.requires_grad)}
    for size in sizes:
        torch.manual_seed(0)
        model = ENet(width)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        images = torch.rand(batch, 1, size, size)
        labels = torch.randint(0, 4, (batch, size, size))

        def step():
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()

        figures[f"enet{size}_train_images_per_s"] = round(batch / (median_ms(step, steps, warmup=2) / 1000), 3)
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", choices=["conv", "unet128", "unet256", "enet"], action="append",
                        help="measure only these (repeatable); all by default")
    parser.add_argument("--conv-repeats", type=int, default=5)
    parser.add_argument("--unet128-steps", type=int, default=5)
    parser.add_argument("--unet256-steps", type=int, default=3)
    parser.add_argument("--enet-sizes", default="64", help="comma-separated image sizes")
    parser.add_argument("--enet-batch", type=int, default=8)
    parser.add_argument("--enet-steps", type=int, default=5)
    parser.add_argument("--enet-width", type=int, default=16)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    only = set(args.only or ["conv", "unet128", "unet256"])
    figures = {"torch_version": torch.__version__, "threads": torch.get_num_threads()}
    if "conv" in only:
        fwd, fwdbwd = conv_figures(args.conv_repeats)
        figures["conv_fwd_gflops"] = round(fwd, 2)
        figures["conv_fwdbwd_gflops"] = round(fwdbwd, 2)
    if "unet128" in only:
        figures["unet128_train_images_per_s"] = round(unet_images_per_s(128, 8, args.unet128_steps), 3)
    if "unet256" in only:
        figures["unet256_train_images_per_s"] = round(unet_images_per_s(256, 8, args.unet256_steps), 3)
    if "enet" in only:
        sizes = [int(s) for s in args.enet_sizes.split(",")]
        figures.update(enet_figures(sizes, args.enet_batch, args.enet_steps, args.enet_width))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
