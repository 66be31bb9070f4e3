// mlp-lab widgets: one module tag, then the custom elements.
//
//   <script type="module" src=".../web/mlp-lab-widgets.js"></script>
//   <mlp-activation-plot functions="relu,sigmoid,tanh" derivative></mlp-activation-plot>
//   <mlp-collapse></mlp-collapse>
//   <mlp-convert dataset="xor" hidden="4"></mlp-convert>
//   <mlp-playground dataset="xor" hidden="4,4" activation="tanh" lang="fr"></mlp-playground>
//
// Each element is independent (its own shadow root, network and animation
// loop); the only thing they share is the loaded WebAssembly lab.
//
// Safe to import where there is no DOM (Node, server-side rendering, a static
// site build): the elements are defined only where customElements exists.

import { ActivationPlot } from './activation-plot.js';
import { CollapsePanel } from './collapse.js';
import { ConvertPanel } from './convert.js';
import { BatchNormPanel } from './batch-norm.js';
import { Approximation } from './approximation.js';
import { Warp } from './warp.js';
import { Playground } from './playground.js';
import { GraphWidget } from './graph.js';
import { getLab } from './lab.js';

export { ActivationPlot, CollapsePanel, ConvertPanel, Playground, GraphWidget };
export { BatchNormPanel, Approximation, Warp };
export { getLab } from './lab.js';
export { LANGUAGES } from './i18n.js';

// Every element by its tag (web/embed.js builds any of them). The playground
// first: one that trains at once (autoplay) then renders before the others
// (web/base.js).
export const ELEMENTS = Object.freeze({
  'mlp-playground': Playground,
  'mlp-activation-plot': ActivationPlot,
  'mlp-collapse': CollapsePanel,
  'mlp-convert': ConvertPanel,
  'mlp-graph': GraphWidget,
  'mlp-batch-norm': BatchNormPanel,
  'mlp-approximation': Approximation,
  'mlp-warp': Warp,
});

if (typeof customElements !== 'undefined') {
  // Fetch and compile the core now, while the page renders: the first widget
  // that needs it waits less (a failure is shown by the widgets themselves).
  getLab().catch(() => {});
  for (const [name, cls] of Object.entries(ELEMENTS)) {
    if (!customElements.get(name)) customElements.define(name, cls);
  }
}
