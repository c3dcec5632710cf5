/**
 * Registers tfjs-core's gradient functions. The CommonJS bundle of tfjs-core that Node loads
 * registers none (only its ES-module build does, which Node and jest cannot require), so tf.grad
 * fails with "gradient function not found". tfjs-layers' bundle registers all of core's gradients
 * as it loads, as the @tensorflow/tfjs union package does; layers is the smaller of the two.
 * Idempotent: Node caches the module, so the registration runs once.
 */
export function registerGradients(): void {
  require('@tensorflow/tfjs-layers');
}
