import { existsSync, readdirSync } from 'fs';
import * as path from 'path';

/**
 * Dawn's Node binding (the `webgpu` npm package ships `dawn.node` for each platform in its
 * tarball) and the few WebGPU interfaces cardigan touches, typed here so that the project does
 * not depend on the WebGPU DOM typings.
 */

/** WebGPU's numeric flags (fixed by the spec). */
export const BUFFER_MAP_READ = 0x0001;
export const BUFFER_COPY_DST = 0x0008;
export const MAP_MODE_READ = 0x0001;

export interface GpuBufferLike {
  readonly size: number;
  readonly mapState: 'unmapped' | 'pending' | 'mapped';
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

export interface GpuDeviceLike {
  createBuffer(descriptor: { size: number; usage: number }): GpuBufferLike;
  createCommandEncoder(): {
    copyBufferToBuffer(source: GpuBufferLike, sourceOffset: number, destination: GpuBufferLike, destinationOffset: number, size: number): void;
    finish(): unknown;
  };
  readonly queue: { submit(commandBuffers: unknown[]): void };
}

/** GPUAdapterInfo's fields (strings may be empty). */
export interface GpuAdapterInfoLike {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for a software (CPU) implementation such as SwiftShader. */
  readonly isFallbackAdapter?: boolean;
}

export interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
  readonly info: GpuAdapterInfoLike;
  requestDevice(descriptor?: object): Promise<GpuDeviceLike>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance'; forceFallbackAdapter?: boolean }): Promise<GpuAdapterLike | null>;
}

export interface DawnBinding {
  /** A new Dawn instance; `flags` are dawn.node's (e.g. `backend=vulkan`). */
  create(flags: string[]): GpuLike;
  /** The WebGPU interface objects and flag namespaces (GPUBufferUsage, GPUMapMode...). */
  globals: Record<string, unknown>;
}

/**
 * Loads dawn.node itself rather than the package's entry point: that entry is an ES module, which
 * neither CommonJS (Node 20 before 20.19) nor jest's module loader can require. It only picks
 * this same file and patches GPUDevice.destroy, which tfjs never calls.
 */
export function loadDawn(): DawnBinding {
  return require(dawnBinaryPath()) as DawnBinding;
}

function dawnBinaryPath(): string {
  const root = path.dirname(require.resolve('webgpu/package.json'));
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  return path.join(root, 'dist', `${process.platform}-${arch}`, 'dawn.node');
}

/**
 * Whether this machine exposes a GPU to processes, checked before loading Dawn so that `auto` on
 * a machine without one pays nothing (Dawn plus the Vulkan loader take ~0.1–0.3 s and print the
 * drivers' complaints). Linux only: NVIDIA (`/dev/nvidia0`…), DRM render nodes (Intel, AMD,
 * `/dev/dri/renderD128`…), AMD's compute node `/dev/kfd`, WSL's `/dev/dxg`. Elsewhere Dawn decides.
 */
export function gpuDeviceVisible(devRoot = '/dev', platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  const names = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const top = names(devRoot);
  if (top.some((name) => /^nvidia\d+$/.test(name) || name === 'kfd' || name === 'dxg')) return true;
  return names(path.join(devRoot, 'dri')).some((name) => /^renderD\d+$/.test(name));
}

/** GPU device nodes `gpuDeviceVisible` looks for, for messages. */
export const GPU_DEVICE_NODES = '/dev/nvidia*, /dev/dri/renderD*, /dev/kfd, /dev/dxg';
