#!/usr/bin/env bash
# The trainer's CUDA path on a GPU machine, as one script (issue 7's device check).
#   bash benchmarks/gpu_check.sh SHARDS_DIR RESULTS_DIR
# SHARDS_DIR: OUT/shards of `repocurate run` (the recorded run used the 32-package
# development corpus); needs only torch, numpy and this checkout on the GPU machine.
set -u
DATA=${1:?shards folder}
RES=${2:?results folder}
mkdir -p "$RES"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$RES/gpu.txt"
python3 -c "import sys, torch; print(sys.version.split()[0], torch.__version__, torch.version.cuda)" | tee -a "$RES/gpu.txt"
timeout 150 python3 benchmarks/bench_trainer.py --data "$DATA" --device cuda --preset small 1b \
    --steps 20 --warmup 3 --json "$RES/bench_eager.json"
timeout 200 python3 benchmarks/bench_trainer.py --data "$DATA" --device cuda --preset small 1b \
    --steps 20 --warmup 3 --compile --json "$RES/bench_compile.json"
timeout 120 python3 benchmarks/gpu_train_check.py --data "$DATA" --preset small --steps 60 \
    --deterministic --json "$RES/train_check.json" ||
  timeout 100 python3 benchmarks/gpu_train_check.py --data "$DATA" --preset small --steps 60 \
    --json "$RES/train_check.json"
