// The product of a stack of affine layers, in float64.

/**
 * W = W1 W2 ... WL and b = (...(b1 W2 + b2) W3 ...) + bL of any layer stack,
 * in float64: the one affine map the layers are when every activation is the
 * identity, and, for any other activation, the map they would be without it.
 * params: { W, b } as net.params() gives; layers: the widths. net.collapse()
 * gets the same product, bit for bit, from the core (src/affine.c: the same
 * sums in the same order), with its rank.
 */
export function affineProduct({ W, b }, layers) {
  const rows = layers[0];
  let Wc = Float64Array.from(W[0]);
  let bc = Float64Array.from(b[0]);
  for (let l = 1; l < W.length; l++) {
    const fanIn = layers[l], fanOut = layers[l + 1];
    const Wn = new Float64Array(rows * fanOut);
    const bn = Float64Array.from(b[l]);
    for (let k = 0; k < fanIn; k++) {
      for (let j = 0; j < fanOut; j++) {
        const w = W[l][k * fanOut + j];
        bn[j] += bc[k] * w;
        for (let i = 0; i < rows; i++) Wn[i * fanOut + j] += Wc[i * fanIn + k] * w;
      }
    }
    Wc = Wn;
    bc = bn;
  }
  return { W: Wc, b: bc };
}
