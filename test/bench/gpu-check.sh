#!/usr/bin/env bash
# GPU check, for a CUDA machine without network, in one call (about 3 minutes on an H200):
#   bash test/bench/gpu-kit.sh                 # here, once: builds .gpu-kit/ and dist/, rehearses
#   bash test/bench/gpu-check.sh               # there, with .gpu-kit and dist carried
# Prints the GPU, the Vulkan driver files Dawn needs, whether tfjs-node-gpu could work, then runs
# dist/test/bench/gpu-check.js: cardigan's webgpu backend (tfjs-backend-webgpu on Dawn) started as
# --backend webgpu starts it, a gradient check against cpu, synchronous reads, the backend bench's
# conv and U-Net figures, and the train-unet node on webgpu then on wasm. Arguments go to that
# script (--quick: tiny shapes). Then SPADE training steps on webgpu at 64, 128 and 256 px with the
# paper's ngf = ndf = 48 (dist/test/bench/spade.js), for train-spade's seconds per epoch on a GPU; then
# `npm run bench -- gpu` on webgpu (one GPU_BENCH {...} JSON line: the five workloads at the paper's
# sizes beside PyTorch where it is installed, and paper.yaml's projected hours). Installs nothing
# from the network; where glvnd is missing it unpacks the kit's Debian packages of it.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
kit=$root/.gpu-kit
[ -d "$kit" ] && [ -f "$root/dist/test/bench/gpu-check.js" ] || { echo "run test/bench/gpu-kit.sh first and carry .gpu-kit and dist"; exit 2; }

echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || echo "nvidia-smi: not found"
echo "cpus: $(nproc)"
echo "== CUDA libraries (tfjs-node-gpu 4.22 needs libtensorflow 2.9.1: CUDA 11.2, cuDNN 8.1)"
ldconfig -p | grep -oE "lib(cudart|cudnn|cublas)\.so\.[0-9.]+" | sort -u | tr '\n' ' '; echo

echo "== Vulkan (Dawn's backend on Linux)"
if ! ldconfig -p | grep -q "libGLdispatch.so.0" && ls "$kit"/debs/*.deb >/dev/null 2>&1; then
  echo "no glvnd dispatch library: unpacking the kit's Vulkan loader and glvnd packages"
  for deb in "$kit"/debs/*.deb; do dpkg -x "$deb" /; done
  ldconfig
fi
[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null | tr '\n' ' ')
echo "ICD files: ${icds:-none}"
ldconfig -p | grep -oE "lib(vulkan|GLX_nvidia|nvidia-glvkspirv|nvidia-glcore|EGL_nvidia)\.so[.0-9]*" | sort -u | tr '\n' ' '; echo
if ! ldconfig -p | grep -q "libvulkan.so.1"; then
  echo "no Vulkan loader installed: using the kit's libvulkan.so.1"
  export LD_LIBRARY_PATH="$kit/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if ! grep -qls nvidia /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null; then
  if ldconfig -p | grep -q "libGLX_nvidia.so.0"; then
    echo "no NVIDIA ICD file but libGLX_nvidia.so.0 is there: pointing the loader at it"
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}\n' > /tmp/nvidia_icd.json
    export VK_ICD_FILENAMES=/tmp/nvidia_icd.json
  else
    echo "no NVIDIA Vulkan driver (libGLX_nvidia.so.0): a compute-only driver install; Dawn will find no adapter"
  fi
fi

echo "== Node"
node=node
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  gunzip -c "$kit/node.gz" > /tmp/cardigan-node && chmod +x /tmp/cardigan-node && node=/tmp/cardigan-node
fi
"$node" -v

echo "== tfjs WebGPU backend on Dawn"
dawn="$kit/node_modules/webgpu/dist/linux-x64/dawn.node"
[ -f "$dawn" ] || gunzip -k "$dawn.gz"
NODE_PATH="$kit/node_modules" timeout 300 "$node" "$root/dist/test/bench/gpu-check.js" "$@"

echo "== SPADE training steps on webgpu (paper's ngf = ndf = 48, batch 4)"
if [[ " $* " == *" --quick "* ]]; then spade_args=(--sizes 32 --ngf 4 --hidden 16 --steps 1); else spade_args=(--sizes 64,128,256 --ngf 48 --steps 3); fi
NODE_PATH="$kit/node_modules" timeout 240 "$node" "$root/dist/test/bench/spade.js" --backend webgpu "${spade_args[@]}"

echo "== The gpu bench on webgpu: the paper's five workloads beside PyTorch (CUDA if installed), paper.yaml's projection"
if [[ " $* " == *" --quick "* ]]; then gpu_args=(--quick); else gpu_args=(); fi
NODE_PATH="$kit/node_modules" timeout 420 "$node" "$root/dist/test/bench/index.js" gpu --backend webgpu --json "${gpu_args[@]}" > /tmp/cardigan-gpu-bench.json && echo "GPU_BENCH $(tr -d '\n ' < /tmp/cardigan-gpu-bench.json)"
