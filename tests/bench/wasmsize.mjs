// Where a .wasm's bytes go: section sizes and the largest function bodies,
// named by their export when they have one (emcc -O3 keeps no name section).

import { readFileSync } from 'node:fs';

const SECTIONS = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

export function wasmSize(file, top = 8) {
  const b = readFileSync(file);
  let p = 8;
  const leb = () => {
    let r = 0, s = 0, x;
    do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
    return r;
  };
  const str = () => { const l = leb(); const v = b.subarray(p, p + l).toString(); p += l; return v; };
  const sections = {}, exportName = new Map();
  let nImportedFuncs = 0, bodies = [];
  while (p < b.length) {
    const id = b[p++], n = leb(), start = p;
    const name = SECTIONS[id] ?? `id${id}`;
    sections[name] = (sections[name] || 0) + n;
    if (id === 2) {
      for (let i = 0, c = leb(); i < c; i++) {
        str(); str();
        const kind = b[p++];
        if (kind === 0) { leb(); nImportedFuncs++; }
        else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 3) { p += 2; }
      }
    } else if (id === 7) {
      for (let i = 0, c = leb(); i < c; i++) {
        const nm = str(), kind = b[p++], idx = leb();
        if (kind === 0) exportName.set(idx, nm);
      }
    } else if (id === 10) {
      for (let i = 0, c = leb(); i < c; i++) {
        const s = leb();
        bodies.push({ index: nImportedFuncs + i, bytes: s });
        p += s;
      }
    }
    p = start + n;
  }
  bodies = bodies.map((f) => ({ name: exportName.get(f.index) ?? `(internal #${f.index})`, bytes: f.bytes })).sort((x, y) => y.bytes - x.bytes);
  return { total: b.length, sections, functions: bodies.length, largest: bodies.slice(0, top) };
}
