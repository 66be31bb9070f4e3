// README's "VitePress" recipe: the default theme, and the widgets imported in
// the browser only (awaited, so they are defined before the page hydrates).
import DefaultTheme from 'vitepress/theme';

export default {
  extends: DefaultTheme,
  async enhanceApp() {
    if (!import.meta.env.SSR) await import('mlp-lab/widgets');
  },
};
