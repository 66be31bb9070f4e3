// Include once on a page that shows web/embed.html in iframes:
//   <script type="module" src=".../web/embed-resize.js"></script>
// Each embed posts { type: 'mlp-lab:height', height } to its parent whenever
// its content's height changes (web/embed.js); this sets that iframe's
// height to it, so the widget never scrolls inside its frame. The same few
// lines may be pasted into a page's own script instead (README, "An iframe").

addEventListener('message', (e) => {
  if (e.data?.type !== 'mlp-lab:height' || !(e.data.height > 0)) return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === e.source) frame.style.height = `${Math.min(e.data.height, 20000)}px`;
  }
});
