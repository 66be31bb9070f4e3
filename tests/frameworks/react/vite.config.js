// A stock Vite config for React: JSX through Vite's own esbuild transform.
// Nothing for mlp-lab.
export default {
  esbuild: { jsx: 'automatic' },
};
