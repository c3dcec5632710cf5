import { existsSync } from 'fs';
import type * as TF from '@tensorflow/tfjs-core';
import { fail, firstErrorLine, ok, type Result } from '../errors';
import { registerCardiganKernels } from './kernels';
import { startWebGpu } from './webgpu/start';

/** A backend cardigan can run on, in the order `auto` tries them. */
export type BackendKind = 'gpu' | 'webgpu' | 'node' | 'wasm' | 'cpu';

export interface StartedBackend {
  /** tfjs backend name: `tensorflow`, `webgpu`, `wasm` or `cpu`. */
  name: string;
  /** For people: what runs the tensors, e.g. "WebAssembly, SIMD, 1 thread". */
  detail: string;
}

export interface StartRequest {
  /** Asked for by name (`--backend webgpu`), not tried by `auto`. */
  explicit: boolean;
}

export interface Candidate {
  kind: BackendKind;
  /** Tries to load and select the backend. Only `auto` moves on after a failure. */
  start(request: StartRequest): Promise<Result<StartedBackend, string>>;
  /** What to do when it was asked for and is unavailable. */
  installHint: string;
}

/** tfjs-core, loaded on first use so that commands that train nothing never pay for it. */
function tfjs(): typeof TF {
  return require('@tensorflow/tfjs-core') as typeof TF;
}

function isInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * tfjs-node and tfjs-node-gpu register the `tensorflow` backend over a native libtensorflow that
 * their install script downloads; where that download failed the package is present but its
 * binding is not, and requiring it throws.
 */
export function tensorflowCandidate(
  kind: 'gpu' | 'node',
  pkg: string,
  installHint: string,
  detail: () => string,
  load: () => unknown = () => require(pkg),
  installed: () => boolean = () => isInstalled(pkg),
): Candidate {
  return {
    kind,
    installHint,
    async start() {
      if (!installed()) return fail(`${pkg} is not installed`);
      try {
        load();
      } catch (error) {
        return fail(`${pkg} is installed but its native libtensorflow did not load (${firstErrorLine(error)})`);
      }
      registerCardiganKernels();
      const tf = tfjs();
      if (!(await tf.setBackend('tensorflow'))) return fail(`${pkg} loaded but the tensorflow backend did not initialise`);
      return ok({ name: 'tensorflow', detail: detail() });
    },
  };
}

/** Whether an NVIDIA kernel driver is loaded: without one, tfjs-node-gpu runs TensorFlow on the CPU. */
function nvidiaDriverLoaded(): boolean {
  return existsSync('/proc/driver/nvidia/version');
}

/**
 * tfjs-backend-webgpu on Dawn's Node binding: any GPU with a Vulkan (Linux), Metal or D3D12
 * driver, installed from npm alone. `auto` skips it at once where no GPU device exists and when
 * Dawn's only adapter is a software one; asked for by name it takes whatever adapter Dawn finds.
 */
export function webgpuCandidate(start = startWebGpu, installed: (pkg: string) => boolean = isInstalled): Candidate {
  return {
    kind: 'webgpu',
    installHint: WEBGPU_INSTALL,
    async start({ explicit }) {
      const missing = WEBGPU_PACKAGES.filter((pkg) => !installed(pkg));
      if (missing.length > 0) return fail(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed`);
      return start({ allowSoftware: explicit, requireDeviceNode: !explicit });
    },
  };
}

const WEBGPU_PACKAGES = ['webgpu', '@tensorflow/tfjs-backend-webgpu'];

const WEBGPU_INSTALL =
  "install the GPU's Vulkan driver (on a CUDA machine: the NVIDIA driver's Vulkan ICD with libvulkan1 and libglvnd0, " +
  'see README.md, "Compute backends") and the optional dependencies webgpu@0.6.2 and @tensorflow/tfjs-backend-webgpu@4.22.0 (npm install)';

const GPU_INSTALL =
  'npm install @tensorflow/tfjs-node-gpu@4.22.0 on a Linux x86-64 machine with an NVIDIA driver, CUDA 11.2 and ' +
  'cuDNN 8.1 (libtensorflow 2.9.1), with network access: its install script downloads libtensorflow';

export const CANDIDATES: Candidate[] = [
  tensorflowCandidate('gpu', '@tensorflow/tfjs-node-gpu', GPU_INSTALL, () =>
    nvidiaDriverLoaded() ? 'TensorFlow 2.9.1, CUDA' : 'TensorFlow 2.9.1 GPU build, but no NVIDIA driver is loaded: running on the CPU',
  ),
  webgpuCandidate(),
  tensorflowCandidate(
    'node',
    '@tensorflow/tfjs-node',
    'npm install @tensorflow/tfjs-node@4.22.0 with network access (its install script downloads libtensorflow)',
    () => 'TensorFlow 2.9.1, CPU',
  ),
  {
    kind: 'wasm',
    installHint: 'reinstall the project dependencies (npm ci): @tensorflow/tfjs-backend-wasm is one of them',
    async start() {
      let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
      try {
        wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      } catch (error) {
        return fail(`@tensorflow/tfjs-backend-wasm did not load (${firstErrorLine(error)})`);
      }
      registerCardiganKernels();
      const tf = tfjs();
      if (!(await tf.setBackend('wasm'))) return fail('the WebAssembly module did not initialise (see the warning above)');
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      const threads = wasm.getThreadsCount();
      return ok({ name: 'wasm', detail: `WebAssembly (XNNPACK), ${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}` });
    },
  },
  {
    kind: 'cpu',
    installHint: 'reinstall the project dependencies (npm ci): @tensorflow/tfjs-backend-cpu is one of them',
    async start() {
      require('@tensorflow/tfjs-backend-cpu');
      registerCardiganKernels();
      const tf = tfjs();
      if (!(await tf.setBackend('cpu'))) return fail('the JavaScript backend did not initialise');
      return ok({ name: 'cpu', detail: 'plain JavaScript (slow: for tests and tiny runs)' });
    },
  },
];
