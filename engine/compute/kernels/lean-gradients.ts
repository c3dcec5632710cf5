import type * as TF from '@tensorflow/tfjs-core';

type Tf = typeof TF;
type Tensor = TF.Tensor;

/** The parts of tfjs-core 4.22's Engine that its gradients() uses (not public API, hence pinned). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, Tensor>;
  outputs: Tensor[];
  gradient?: (dys: Array<Tensor | null>) => Record<string, () => Tensor>;
  saved?: Tensor[];
}
interface GradientsResult {
  value: Tensor;
  grads: Tensor[];
}
type GradientsFn = (f: () => Tensor, xs: Tensor[], dy?: Tensor, allowNoGradients?: boolean) => GradientsResult;
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends TF.TensorContainer>(name: string | (() => T), f?: () => T): T;
  gradients: GradientsFn;
}

let original: GradientsFn | undefined;

/**
 * tfjs keeps every saved forward tensor and every intermediate gradient alive until the whole
 * backward pass ends, so a training step peaks at activations + all their gradients (2 GB for the
 * U-Net at 128×128, batch 8; over the wasm heap's limit at 256×256). This replaces the engine's
 * gradients() with the same algorithm that frees, as it walks the tape backwards, each node's
 * saved tensors and its outputs' gradients once that node is done, as PyTorch's autograd does.
 * Nested (higher-order) gradients keep tfjs's own implementation. Idempotent.
 */
export function installLeanGradients(tf: Tf): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (original !== undefined) return;
  original = engine.gradients;
  const stock = original;
  engine.gradients = function (this: EngineInternals, f, xs, dy, allowNoGradients = false) {
    if (this.state.gradientDepth > 0) return stock.call(this, f, xs, dy, allowNoGradients);
    return leanGradients(tf, this, f, xs, dy, allowNoGradients);
  };
}

/** Restores tfjs's own gradients() (for tests that compare the two). */
export function uninstallLeanGradients(tf: Tf): void {
  if (original === undefined) return;
  (tf.engine() as unknown as EngineInternals).gradients = original;
  original = undefined;
}

function leanGradients(tf: Tf, engine: EngineInternals, f: () => Tensor, xs: Tensor[], dy: Tensor | undefined, allowNoGradients: boolean): GradientsResult {
  if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
  if (dy !== undefined && dy !== null && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy('forward', f),
  );
  if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.');
  const tape = engine.state.activeTape ?? [];
  const filtered = filterTape(tape, xs, y);
  if (!allowNoGradients && filtered.length === 0) {
    throw new Error('Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.');
  }
  return engine.tidy('backward', () => {
    const keep = new Set<number>(xs.map((x) => x.id));
    const gradients = new GradientMap(keep, dy ?? undefined);
    gradients.set(y.id, dy ?? tf.ones(y.shape));
    for (let i = filtered.length - 1; i >= 0; i--) {
      const node = filtered[i];
      const dys = node.outputs.map((o) => gradients.get(o.id) ?? null);
      if (node.gradient === undefined) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
      const inputGradients = node.gradient(dys);
      for (const inputName of Object.keys(node.inputs)) {
        const gradFn = inputGradients[inputName];
        if (gradFn === undefined) {
          throw new Error(`Cannot backprop through input ${inputName}. Available gradients found: ${Object.keys(inputGradients)}.`);
        }
        const dx = engine.tidy(gradFn);
        const x = node.inputs[inputName];
        if (dx.dtype !== 'float32') {
          throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${inputName} must have 'float32' dtype, but has '${dx.dtype}'`);
        }
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(
            `Error in gradient for op ${node.kernelName}. The gradient of input '${inputName}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`,
          );
        }
        gradients.accumulate(x.id, dx, (a, b) => tf.add(a, b));
      }
      // This node is done: nothing upstream reads its saved tensors or its outputs' gradients again.
      for (const saved of node.saved ?? []) saved.dispose();
      for (const output of node.outputs) gradients.release(output.id);
    }
    const grads = xs.map((x) => gradients.get(x.id) as Tensor);
    for (const node of tape) for (const saved of node.saved ?? []) saved.dispose();
    engine.state.activeTape = null;
    return { value: y, grads } as unknown as TF.TensorContainer;
  }) as unknown as GradientsResult;
}

/**
 * Tensor id → accumulated gradient, counting how many ids share one tensor object (a gradient
 * function may pass its dy through unchanged), so that releasing one id never frees a tensor
 * another id still holds; the user's dy and the gradients of xs are never freed here.
 */
class GradientMap {
  private readonly byId = new Map<number, Tensor>();
  private readonly holders = new Map<Tensor, number>();

  constructor(
    private readonly keep: Set<number>,
    private readonly userDy: Tensor | undefined,
  ) {}

  get(id: number): Tensor | undefined {
    return this.byId.get(id);
  }

  set(id: number, tensor: Tensor): void {
    this.byId.set(id, tensor);
    this.holders.set(tensor, (this.holders.get(tensor) ?? 0) + 1);
  }

  accumulate(id: number, dx: Tensor, add: (a: Tensor, b: Tensor) => Tensor): void {
    const current = this.byId.get(id);
    if (current === undefined) {
      this.set(id, dx);
      return;
    }
    const sum = add(current, dx);
    this.drop(id);
    this.set(id, sum);
    if (!this.holders.has(dx) && dx !== this.userDy) dx.dispose();
  }

  /** Forgets a gradient that is no longer needed, unless it is one of the results. */
  release(id: number): void {
    if (!this.keep.has(id)) this.drop(id);
  }

  private drop(id: number): void {
    const tensor = this.byId.get(id);
    if (tensor === undefined) return;
    this.byId.delete(id);
    const count = (this.holders.get(tensor) ?? 1) - 1;
    if (count > 0) {
      this.holders.set(tensor, count);
      return;
    }
    this.holders.delete(tensor);
    if (tensor !== this.userDy) tensor.dispose();
  }
}

/** tfjs's getFilteredNodesXToY: the nodes on a path from some x to y, inputs pruned to those that depend on x. */
function filterTape(tape: TapeNode[], xs: Tensor[], y: Tensor): TapeNode[] {
  const fromX = new Set<number>(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      node.outputs.forEach((output) => fromX.add(output.id));
      nodesFromX.add(node.id);
    }
  }
  const leadToY = new Set<number>([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((output) => leadToY.has(output.id))) {
      for (const input of Object.values(node.inputs)) leadToY.add(input.id);
      nodesToY.add(node.id);
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({ ...node, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id))) }));
}
