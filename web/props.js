// Every widget attribute is also a DOM property that behaves the same, because
// frameworks set a property rather than an attribute when the element has one
// by that name: Vue 3 and React 19 write `el.dataset = 'xor'` and
// `el.hidden = '4,4'` (HTMLElement's own dataset is read-only, its hidden a
// boolean), and `el.functions = ...` once the element defines it.
//
//   value attributes:   el.n = 400 sets n="400"; true sets "", false "false";
//                       null or undefined removes it; reading gives the attribute
//   boolean attributes: true (or any string but "false") sets it, false or null
//                       removes it; reading gives a boolean
//
// Two names keep HTMLElement's reading side: `dataset` still returns the
// element's data-* map (DOMStringMap), so el.dataset.epoch and the widgets' own
// data-* state work as before; assigning a string to it sets the dataset
// attribute. `hidden` (the hidden layers' widths) reads as the attribute.

const nativeDataset = globalThis.HTMLElement
  ? Object.getOwnPropertyDescriptor(globalThis.HTMLElement.prototype, 'dataset')
  : null;

/** 'hidden-layers' -> 'hiddenLayers' */
export function propertyName(attr) {
  return attr.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function setValue(el, attr, v) {
  if (v === null || v === undefined) el.removeAttribute(attr);
  else el.setAttribute(attr, v === true ? '' : String(v));
}

function setBoolean(el, attr, v) {
  if (v === null || v === undefined || v === false || v === 'false') el.removeAttribute(attr);
  else el.setAttribute(attr, typeof v === 'string' ? v : '');
}

/** Is a boolean attribute on: present and not "false". */
export function flag(el, attr) {
  const v = el.getAttribute(attr);
  return v !== null && v !== 'false';
}

/** Define a property for each attribute on cls.prototype (a custom element class). */
export function reflectAttributes(cls, { values = [], booleans = [] }) {
  const props = [];
  for (const attr of values) {
    const prop = propertyName(attr);
    const get = prop === 'dataset' && nativeDataset
      ? function () { return nativeDataset.get.call(this); }
      : function () { return this.getAttribute(attr); };
    Object.defineProperty(cls.prototype, prop, {
      configurable: true,
      enumerable: true,
      get,
      set(v) {
        // el.dataset = el.dataset (or any object) is not a data set name
        if (prop === 'dataset' && v !== null && typeof v === 'object') return;
        setValue(this, attr, v);
      },
    });
    props.push(prop);
  }
  for (const attr of booleans) {
    const prop = propertyName(attr);
    Object.defineProperty(cls.prototype, prop, {
      configurable: true,
      enumerable: true,
      get() { return flag(this, attr); },
      set(v) { setBoolean(this, attr, v); },
    });
    props.push(prop);
  }
  cls.reflectedProperties = [...(cls.reflectedProperties || []), ...props];
  cls.reflectedAttributes = [...(cls.reflectedAttributes || []), ...values, ...booleans]; // (embed.js passes these on)
}

/**
 * A property set on the element before its class was defined (a framework
 * rendered it before the widgets' module ran) is an own property that hides
 * the accessor: pass it through the accessor now.
 */
export function upgradeProperties(el) {
  for (const prop of el.constructor.reflectedProperties || []) {
    if (Object.prototype.hasOwnProperty.call(el, prop)) {
      const v = el[prop];
      delete el[prop];
      el[prop] = v;
    }
  }
}
