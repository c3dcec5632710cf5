#!/usr/bin/env bash
# Builds .gpu-kit/ and dist/ for test/bench/gpu-check.sh: what a GPU machine without network needs
# to run cardigan's webgpu backend and the train-unet node there. Run here after `npm ci` (the
# packages come from this checkout's node_modules, so they are the lockfile's versions), then carry
# .gpu-kit and dist to the GPU machine (about 60 MiB together) and run test/bench/gpu-check.sh there.
#
# The kit holds: the npm packages the check loads (as recorded by a require hook on a full run),
# pruned to the files Node runs; dawn.node for linux-x64, gzipped; a gzipped copy of this Node
# binary in case that machine has none; the Vulkan loader library; and Debian's packages of the
# Vulkan loader and glvnd, whose dispatch libraries the NVIDIA Vulkan driver needs.
#
# Where SwiftShader is installed (Debian's chromium ships it), the script then rehearses the check
# here on it, from a copy of dist, the kit and package.json outside this checkout (what the GPU
# machine has), so that a package missing from the kit fails here rather than there. --no-rehearsal skips that (about a minute).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kit=$root/.gpu-kit
modules=$root/node_modules
rm -rf "$kit"
mkdir -p "$kit/node_modules" "$kit/lib" "$kit/debs"

# package [files...]: the listed files, or without a list the whole package less sources and maps.
copy_package() {
  local name=$1
  shift
  [ -f "$modules/$name/package.json" ] || { echo "node_modules/$name is missing: run npm ci first" >&2; exit 1; }
  mkdir -p "$kit/node_modules/$name"
  if [ $# -eq 0 ]; then
    tar -C "$modules/$name" --exclude='*.map' --exclude='*.ts' --exclude='./src' -cf - . | tar -C "$kit/node_modules/$name" -xf -
  else
    tar -C "$modules/$name" -cf - package.json "$@" | tar -C "$kit/node_modules/$name" -xf -
  fi
}
copy_package @tensorflow/tfjs-core dist/tf-core.node.js
copy_package @tensorflow/tfjs-backend-cpu dist/tf-backend-cpu.node.js
copy_package @tensorflow/tfjs-backend-wasm dist/tf-backend-wasm.node.js dist/tfjs-backend-wasm.wasm dist/tfjs-backend-wasm-simd.wasm \
  dist/tfjs-backend-wasm-threaded-simd.wasm
copy_package @tensorflow/tfjs-layers dist/tf-layers.node.js
copy_package @tensorflow/tfjs-backend-webgpu dist/tf-backend-webgpu.node.js
copy_package webgpu index.js dist/linux-x64/dawn.node
# yaml: the gpu bench reads experiments/paper.yaml for its projection.
for name in seedrandom ajv fast-deep-equal fast-uri json-schema-traverse require-from-string pngjs yaml; do copy_package "$name"; done
gzip "$kit/node_modules/webgpu/dist/linux-x64/dawn.node"
gzip -c "$(command -v node)" > "$kit/node.gz"

loader=$(ldconfig -p | awk '/libvulkan.so.1 .*x86-64/ {print $NF; exit}')
if [ -n "$loader" ]; then cp -L "$loader" "$kit/lib/libvulkan.so.1"; else echo "no libvulkan.so.1 here (apt-get install libvulkan1): the kit relies on the GPU machine's" >&2; fi
# The NVIDIA Vulkan driver (libGLX_nvidia) needs glvnd's dispatch libraries, which a compute-only
# image lacks: without them the loader reports "Could not get 'vkCreateInstance'" and Dawn finds no adapter.
(cd "$kit/debs" && apt-get -oAPT::Architecture=amd64 download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 >/dev/null 2>&1) ||
  echo "could not download the glvnd/Vulkan loader packages (apt-get update first?)" >&2

cd "$root"
rm -rf dist
npx tsc -p tsconfig.bench.json
du -sh "$kit" dist

swiftshader=/usr/lib/chromium/vk_swiftshader_icd.json
if [ "${1:-}" != "--no-rehearsal" ] && [ -f "$swiftshader" ]; then
  echo "== rehearsal: the check on SwiftShader (software Vulkan), tiny shapes, with only the kit's packages"
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage/test/bench"
  cp -r "$kit" "$stage/.gpu-kit"
  cp -r dist "$stage/dist"
  cp test/bench/gpu-check.sh "$stage/test/bench/"
  cp package.json "$stage/" # run records and model files name cardigan's version
  VK_ICD_FILENAMES=$swiftshader bash "$stage/test/bench/gpu-check.sh" --quick > "$stage/rehearsal.log" 2>&1 || true
  grep -vE "XDG_RUNTIME_DIR|^$" "$stage/rehearsal.log" | sed -n '/== tfjs WebGPU/,$p' | cut -c1-240
  if ! grep -q '"train_wasm":' "$stage/rehearsal.log" || ! grep -q '"train_webgpu":' "$stage/rehearsal.log"; then
    echo "rehearsal failed: the kit is incomplete or the check is broken (log above)" >&2
    exit 1
  fi
  echo "rehearsal passed: carry .gpu-kit and dist, then run: bash test/bench/gpu-check.sh"
fi
