#!/usr/bin/env bash
# Training images/s of our loop (TorchSharp) vs the Python reference (Debian torch 1.13 / torchvision 0.14), one run each,
# same model (MODEL=efficientnet_v2_s: EfficientNetV2-S + the seed's head at backbone size S; MODEL=cnn48: Cnn48 at 48 px,
# S ignored), every layer trainable, same images and batch.
# Usage: [MODEL=cnn48] Fer.Benchmarks/TrainingThroughput.sh [S=64] [BATCH=64] [IMAGES_PER_CLASS=40]
# Both sides report their second epoch (the first absorbs start-up costs). Set OMP_NUM_THREADS to pin both thread pools.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-64}; batch=${2:-64}; per_class=${3:-40}; model=${MODEL:-efficientnet_v2_s}
data=${FER2013:-$(realpath ../shared/data/fer2013)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release Fer.Cli -nologo -v q >/dev/null
# Cnn48 always sees the 48 px crop and ignores S; the loss is the reference's (balanced weights, no label smoothing).
size_flag=(); [ "$model" = cnn48 ] || size_flag=(--image-size "$size")
dotnet Fer.Cli/bin/Release/net10.0/Fer.Cli.dll train --data "$data" --model "$model" --max-per-class "$per_class" "${size_flag[@]}" \
  --batch-size "$batch" --recipe scratch --augment none --feature-cache off --epochs1 2 --epochs2 0 --no-onnx \
  --class-weight-power 1 --label-smoothing 0 \
  --out "$work/run" > "$work/ours.log" 2>&1 || { cat "$work/ours.log"; exit 1; }
ours=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["history"][-1]["imagesPerSecond"])' "$work/run/metrics.json")
reference=$(/usr/bin/python3 Fer.Benchmarks/TrainingReference.py --data "$data" --model "$model" --max-per-class "$per_class" --image-size "$size" \
  --batch-size "$batch" --epochs 2 2>/dev/null | tail -1)

/usr/bin/python3 - "$ours" "$reference" "$size" "$batch" "$per_class" "$model" <<'PY'
import sys
ours, ref = float(sys.argv[1]), float(sys.argv[2])
print(f"training {sys.argv[6]}, every layer trainable, S={sys.argv[3]}, batch {sys.argv[4]}, {sys.argv[5]} images/class (2nd epoch):")
print(f"  Fer (TorchSharp 0.107 / libtorch 2.10): {ours:8.2f} images/s")
print(f"  reference (PyTorch 1.13, torchvision):  {ref:8.2f} images/s")
print(f"  ratio ours / reference: {ours / ref:.2f}")
PY
