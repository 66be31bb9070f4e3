// A course site as README's "VitePress" section sets it up: the only addition
// to a stock config is isCustomElement.
import { defineConfig } from 'vitepress';

export default defineConfig({
  title: 'MLP course',
  description: 'A VitePress site embedding mlp-lab widgets',
  vue: {
    template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('mlp-') } },
  },
  themeConfig: {
    nav: [{ text: 'Widgets', link: '/widgets' }],
    sidebar: [
      { text: 'Course', items: [
        { text: 'Introduction', link: '/' },
        { text: 'Widgets', link: '/widgets' },
        { text: 'In an iframe', link: '/iframe' },
      ] },
    ],
  },
});
