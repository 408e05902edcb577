#!/usr/bin/env bash
# Phase-1 epoch time with the feature cache vs without (the frozen backbone run live, without gradients), one run each,
# same data, S, batch, seed and flip augmentation. Also prints what building the cache cost.
# Usage: Fer.Benchmarks/TrainingFeatureCache.sh [S=64] [BATCH=64] [IMAGES_PER_CLASS=40] [WEIGHTS=the shared fixture]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-64}; batch=${2:-64}; per_class=${3:-40}
weights=${4:-$(realpath ../shared/fixtures/torchvision-efficientnet_v2_s/efficientnet_v2_s.pth)}
data=${FER2013:-$(realpath ../shared/data/fer2013)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release Fer.Cli -nologo -v q >/dev/null
for cache in auto off; do
  dotnet Fer.Cli/bin/Release/net10.0/Fer.Cli.dll train --data "$data" --max-per-class "$per_class" --image-size "$size" \
    --batch-size "$batch" --weights "$weights" --augment flip --feature-cache "$cache" --epochs1 2 --epochs2 0 --no-onnx \
    --out "$work/$cache" > "$work/$cache.log" 2>&1 || { cat "$work/$cache.log"; exit 1; }
done

/usr/bin/python3 - "$work" "$size" "$batch" "$per_class" <<'PY'
import json, re, sys
work = sys.argv[1]
epoch = {c: json.load(open(f"{work}/{c}/metrics.json"))["history"][-1]["seconds"] for c in ("auto", "off")}
build = re.search(r"feature cache: built in ([0-9.]+)s", open(f"{work}/auto/train.log").read())
print(f"phase 1 (head on a frozen backbone), S={sys.argv[2]}, batch {sys.argv[3]}, {sys.argv[4]} images/class, flips, 2nd epoch:")
print(f"  with the feature cache:    {epoch['auto']:8.2f} s/epoch" + (f" (cache built once in {float(build.group(1)):.1f} s)" if build else ""))
print(f"  without (backbone live):   {epoch['off']:8.2f} s/epoch")
print(f"  ratio without / with: {epoch['off'] / epoch['auto']:.1f}x")
PY
