#!/usr/bin/env bash
# Builds .gpu-kit/ for test/bench/gpu-check.sh: what a GPU machine without network needs to try
# tfjs's WebGPU backend on Dawn (the `webgpu` npm package ships dawn.node) — the node_modules it
# requires (node bundles only), a gzipped copy of this Node binary in case that machine has none,
# and the Vulkan loader library. Run here (the npm registry must be reachable), then carry
# .gpu-kit and dist to the GPU machine (under 64 MiB).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kit=$root/.gpu-kit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$kit"
mkdir -p "$kit/node_modules/@tensorflow" "$kit/lib"

cd "$work"
npm pack --silent @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 @tensorflow/tfjs-layers@4.22.0 \
  @tensorflow/tfjs-backend-webgpu@4.22.0 webgpu@0.6.2 seedrandom@3.0.5 >/dev/null
unpack() { # tarball destination [files...]
  local tarball=$1 dest=$2
  shift 2
  mkdir -p "$dest"
  tar -xzf "$tarball" -C "$dest" --strip-components=1 "${@/#/package/}"
}
unpack tensorflow-tfjs-core-4.22.0.tgz "$kit/node_modules/@tensorflow/tfjs-core" package.json dist/tf-core.node.js
unpack tensorflow-tfjs-backend-cpu-4.22.0.tgz "$kit/node_modules/@tensorflow/tfjs-backend-cpu" package.json dist/tf-backend-cpu.node.js
unpack tensorflow-tfjs-layers-4.22.0.tgz "$kit/node_modules/@tensorflow/tfjs-layers" package.json dist/tf-layers.node.js
unpack tensorflow-tfjs-backend-webgpu-4.22.0.tgz "$kit/node_modules/@tensorflow/tfjs-backend-webgpu" package.json dist/tf-backend-webgpu.node.js
unpack webgpu-0.6.2.tgz "$kit/node_modules/webgpu" package.json index.js dist/linux-x64/dawn.node
unpack seedrandom-3.0.5.tgz "$kit/node_modules/seedrandom"
gzip "$kit/node_modules/webgpu/dist/linux-x64/dawn.node"
gzip -c "$(command -v node)" > "$kit/node.gz"
loader=$(ldconfig -p | awk '/libvulkan.so.1 .*x86-64/ {print $NF; exit}')
if [ -n "$loader" ]; then cp -L "$loader" "$kit/lib/libvulkan.so.1"; else echo "no libvulkan.so.1 here (apt-get install libvulkan1): the kit relies on the GPU machine's" >&2; fi

# The NVIDIA Vulkan driver (libGLX_nvidia) needs glvnd's dispatch libraries, which a compute-only
# image lacks: without them the loader reports "Could not get 'vkCreateInstance'" and Dawn finds no adapter.
mkdir -p "$kit/debs"
(cd "$kit/debs" && apt-get -oAPT::Architecture=amd64 download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 >/dev/null 2>&1) ||
  echo "could not download the glvnd/Vulkan loader packages (apt-get update first?)" >&2

cd "$root"
npx tsc -p tsconfig.bench.json
du -sh "$kit" dist
