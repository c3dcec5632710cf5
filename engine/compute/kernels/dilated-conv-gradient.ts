import type * as TF from '@tensorflow/tfjs-core';

type Tf = typeof TF;

/**
 * tfjs-core's Conv2D gradient refuses dilation rates above 1 ("not yet supported in gradients"),
 * on every backend; ENet's dilated bottlenecks need them. This wraps the stock gradient: dilation 1
 * goes to it unchanged, dilation d > 1 (stride 1, NHWC: what tf.conv2d itself allows with
 * dilation) is computed with forward convolutions, which every backend has and wasm runs on XNNPACK:
 *   dX = conv(dY, W flipped and transposed, dilation d, padding K'−1−pad), K' = (K−1)·d + 1;
 *   dW = conv(X as [C,H,W,N] padded, dY as [OH,OW,N,O] for filter, stride d) as [C,K,K,O], transposed.
 */
export function registerDilatedConvGradient(tf: Tf): void {
  const stock = tf.getGradient('Conv2D');
  if (stock === undefined) throw new Error('the stock Conv2D gradient must be registered first');
  if ((stock as { dilated?: true }).dilated === true) return;
  const config: TF.GradConfig & { dilated: true } = {
    ...stock,
    dilated: true,
    gradFunc: (dy, saved, attrs) => {
      const { dilations, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as TF.Conv2DAttrs;
      if (tf.backend_util.tupleValuesAreOne(dilations)) return stock.gradFunc(dy, saved, attrs);
      if (dataFormat !== 'NHWC' || !tf.backend_util.tupleValuesAreOne(strides)) {
        throw new Error(`gradient of a dilated conv2d: only stride 1 and NHWC are supported (got strides ${strides}, ${dataFormat})`);
      }
      const [x, filter] = saved as [TF.Tensor4D, TF.Tensor4D];
      return dilatedGradients(tf, x, filter, dy as TF.Tensor4D, dilations, pad, dimRoundingMode);
    },
  };
  tf.registerGradient(config);
}

function dilatedGradients(
  tf: Tf,
  x: TF.Tensor4D,
  filter: TF.Tensor4D,
  dy: TF.Tensor4D,
  dilations: [number, number] | number,
  pad: TF.Conv2DAttrs['pad'],
  dimRoundingMode: TF.Conv2DAttrs['dimRoundingMode'],
): { x: () => TF.Tensor; filter: () => TF.Tensor } {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, 1, dilations, pad, dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;
  const { effectiveFilterHeight: kh, effectiveFilterWidth: kw, dilationHeight, dilationWidth } = info;
  return {
    x: () => {
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as TF.Tensor4D;
      const padding: TF.backend_util.ExplicitPadding = [
        [0, 0],
        [kh - 1 - top, kh - 1 - bottom],
        [kw - 1 - left, kw - 1 - right],
        [0, 0],
      ];
      return tf.conv2d(dy, flipped, 1, padding, 'NHWC', [dilationHeight, dilationWidth]);
    },
    filter: () => {
      const xT = tf.transpose(x, [3, 1, 2, 0]) as TF.Tensor4D;
      const dyT = tf.transpose(dy, [1, 2, 0, 3]) as TF.Tensor4D;
      const padding: TF.backend_util.ExplicitPadding = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      return tf.transpose(tf.conv2d(xT, dyT, [dilationHeight, dilationWidth], padding), [1, 2, 0, 3]);
    },
  };
}
