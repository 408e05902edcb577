#!/usr/bin/python3
"""Reference training of Fer's network families in PyTorch (Debian's torch 1.13 / torchvision 0.14).

--model efficientnet_v2_s (the default here) does the same work as `Fer.Cli train --model efficientnet_v2_s
--recipe scratch --augment none --feature-cache off`: torchvision's efficientnet_v2_s with the seed's head, every layer trainable, the canonical 48x48 input replicated to 3 channels,
ImageNet-normalised and bilinearly resized to S inside the forward pass, AdamW with a per-step cosine decay to 1 % of
the learning rate, class-weighted cross-entropy. Prints each epoch's training loss and accuracy, then the images/s of
the last epoch (the first epoch absorbs one-off start-up costs). --zero-init-residual does what `--recipe scratch`
does to a random network (torchvision itself does not); --stochastic-depth defaults to torchvision's 0.2, as ours does.
--model cnn48 builds Fer.Training's Cnn48 layer for layer (same module names, so state_dict keys match): stages of
(3x3 conv, BatchNorm, ReLU) x depth + 2x2 max pool on the 48 px crop, then flatten -> dropout -> linear -> BatchNorm1d ->
ReLU -> dropout -> linear.
"""
import argparse
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image

CLASSES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def load(root, per_class):
    images, labels = [], []
    for label, name in enumerate(CLASSES):
        folder = os.path.join(root, "train", name)
        for file in sorted(os.listdir(folder))[:per_class]:
            grey = Image.open(os.path.join(folder, file)).convert("L").resize((48, 48), Image.BOX)
            images.append(np.asarray(grey, dtype=np.float32) / 255.0)
            labels.append(label)
    return torch.from_numpy(np.stack(images)).unsqueeze(1), torch.tensor(labels)


class SeedModel(nn.Module):
    def __init__(self, size, stochastic_depth=0.2):
        super().__init__()
        self.size = size
        net = torchvision.models.efficientnet_v2_s(weights=None, stochastic_depth_prob=stochastic_depth)
        self.features, self.avgpool = net.features, net.avgpool
        self.classifier = nn.Sequential(
            nn.Dropout(0.3), nn.Linear(1280, 512), nn.ReLU(), nn.BatchNorm1d(512), nn.Dropout(0.3),
            nn.Linear(512, 256), nn.ReLU(), nn.BatchNorm1d(256), nn.Dropout(0.15), nn.Linear(256, len(CLASSES)))
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        x = (x.expand(-1, 3, -1, -1) - self.mean) / self.std
        x = F.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False)
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))

    def zero_init_residual(self):
        """Zero scale on the BatchNorm closing every residual branch, as FerNet.ZeroInitialiseResidualBranches does."""
        for block in self.features.modules():
            if getattr(block, "use_res_connect", False):
                nn.init.zeros_(block.block[-1][1].weight)


def cnn48(widths, depths, hidden=256, dropout=0.2):
    """Fer.Training.Networks.Cnn48: features.<stage>.<conv>.{0,1,2} and features.<stage>.<depth> (the pool)."""
    stages, channels = [], 1
    for width, depth in zip(widths, depths):
        layers = []
        for _ in range(depth):
            layers.append(nn.Sequential(nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True)))
            channels = width
        layers.append(nn.MaxPool2d(2))
        stages.append(nn.Sequential(*layers))
    side = 48 >> len(widths)
    model = nn.Module()
    model.features = nn.Sequential(*stages)
    model.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(channels * side * side, hidden), nn.BatchNorm1d(hidden),
                                     nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, len(CLASSES)))
    model.forward = lambda x: model.classifier(model.features(x))
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", choices=["efficientnet_v2_s", "cnn48"], default="efficientnet_v2_s")
    parser.add_argument("--widths", default="16-32-64-128", help="cnn48: channels per stage")
    parser.add_argument("--depths", default="1-2-2-2", help="cnn48: convolutions per stage")
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-per-class", type=int, default=40)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--stochastic-depth", type=float, default=0.2)
    parser.add_argument("--zero-init-residual", action="store_true")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    x, y = load(args.data, args.max_per_class)
    counts = torch.bincount(y, minlength=len(CLASSES)).float()
    weights = torch.where(counts > 0, len(y) / ((counts > 0).sum() * counts.clamp(min=1)), torch.zeros_like(counts))
    if args.model == "cnn48":
        model = cnn48([int(w) for w in args.widths.split("-")], [int(d) for d in args.depths.split("-")])
    else:
        model = SeedModel(args.image_size, args.stochastic_depth)
    if args.zero_init_residual and args.model != "cnn48":
        model.zero_init_residual()
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = len(y) // args.batch_size + (len(y) % args.batch_size > 1)  # a last batch of one is skipped
    total_steps, step = steps_per_epoch * args.epochs, 0

    rate = 0.0
    for epoch in range(args.epochs):
        order = torch.randperm(len(y))
        batches = [b for b in order.split(args.batch_size) if len(b) > 1]
        start, seen, loss_sum, correct = time.perf_counter(), 0, 0.0, 0
        for batch in batches:
            progress = step / max(total_steps - 1, 1)
            for group in optimizer.param_groups:
                group["lr"] = args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * progress)))
            step += 1
            logits = model(x[batch])
            loss = F.cross_entropy(logits, y[batch], weight=weights)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seen += len(batch)
            loss_sum += loss.item() * len(batch)
            correct += (logits.argmax(1) == y[batch]).sum().item()
        rate = seen / (time.perf_counter() - start)
        print(f"epoch {epoch + 1}: {seen} images, train loss {loss_sum / seen:.4f}, train accuracy {correct / seen:.3f}, "
              f"{rate:.1f} images/s, {torch.get_num_threads()} threads", flush=True)
    print(f"{rate:.3f}")


if __name__ == "__main__":
    main()
