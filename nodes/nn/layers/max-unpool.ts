/**
 * ENet's (and SegNet's) 2×2 max pooling with a mask of where each maximum was, and max-unpooling
 * with it. The ops live with the kernels that run them on wasm and cpu (engine/compute/kernels/
 * max-unpool: one JavaScript pass each; other backends compose tfjs ops).
 */
export { type MaxPooled, maxPoolWithMask, maxUnpool } from '../../../engine/compute';
