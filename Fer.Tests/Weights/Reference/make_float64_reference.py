"""Float64 torchvision outputs for the shared efficientnet_v2_s fixture (run with Debian's /usr/bin/python3).

The fixture's float32 outputs for image 0 (a real face) cannot be reproduced by any other float32 implementation:
with its random weights, stage 6 of the network doubles any rounding difference block after block, so torchvision
itself lands 0.085 (oneDNN capped at AVX2) or 0.137 (float64) away from them. Float64 is the reproducible reference.
"""
import pathlib

import numpy as np
import torch
import torchvision

fixture = pathlib.Path(__file__).resolve().parents[4] / "shared/fixtures/torchvision-efficientnet_v2_s"
here = pathlib.Path(__file__).resolve().parent

model = torchvision.models.efficientnet_v2_s()
state = torch.load(fixture / "efficientnet_v2_s.pth")
model.load_state_dict({k: v.double() if v.is_floating_point() else v for k, v in state.items()})
model.double().eval()
x = torch.from_numpy(np.fromfile(fixture / "input_2x3x224x224.f32", dtype=np.float32).reshape(2, 3, 224, 224)).double()
with torch.no_grad():
    features = model.avgpool(model.features(x)).flatten(1)
    logits = model.classifier(features)
features.numpy().astype("<f8").tofile(here / "features_2x1280.f64")
logits.numpy().astype("<f8").tofile(here / "logits_2x1000.f64")
print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, argmax {logits.argmax(1).tolist()}")
