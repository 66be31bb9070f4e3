// Numbers in the notation of the interface's six languages, exactly as
// new Intl.NumberFormat(lang, { maximumFractionDigits: digits }) writes them,
// without creating one. A fresh browser renderer spends 20-45 ms on its first
// Intl.NumberFormat (V8 loads ICU's locale data: measured in Chromium here),
// and the first widget to render paid it before the first trained step of an
// autoplay link. In these six languages a number is written with two symbols
// (CLDR's decimal and group separators), digits grouped in threes once there
// are four; the rounding is Intl's: half away from zero, from the shortest
// decimal that reads back as the same double (what ICU rounds from).
// tests/numbers.test.js checks the output is Intl's, character for character,
// for every language over 200,000 values. Other languages go to Intl.

const SYMBOLS = {
  en: ['.', ','],
  zh: ['.', ','],
  ko: ['.', ','],
  de: [',', '.'],
  vi: [',', '.'],
  fr: [',', '\u202f'], // a narrow no-break space
};

const formatters = new Map();
function viaIntl(lang, v, digits) {
  const key = `${lang}:${digits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    formatters.set(key, f);
  }
  const s = f.format(v);
  return s === '-0' ? '0' : s;
}

/** A finite number with at most `digits` (0..20) fraction digits; a zero is '0', never '-0'. */
export function formatDecimal(lang, v, digits) {
  const sym = SYMBOLS[lang];
  if (!sym || !Number.isInteger(digits) || digits < 0 || digits > 20) return viaIntl(lang, v, digits);
  // v = 0.D x 10^p, D the shortest round-trip digits.
  const [mantissa, e] = Math.abs(v).toExponential().split('e');
  let D = mantissa.replace('.', '');
  let p = Number(e) + 1;
  const keep = p + digits; // digits of D left after rounding
  if (keep < D.length) {
    if (keep < 0) {
      D = '';
    } else {
      const up = D.charCodeAt(keep) >= 53; // '5'
      D = D.slice(0, keep);
      if (up) {
        let i = D.length - 1;
        while (i >= 0 && D[i] === '9') i--;
        if (i < 0) {
          D = `1${'0'.repeat(D.length)}`;
          p++;
        } else {
          D = D.slice(0, i) + String.fromCharCode(D.charCodeAt(i) + 1) + '0'.repeat(D.length - i - 1);
        }
      }
    }
  }
  D = D.replace(/0+$/, '');
  if (!D) return '0';
  const int = p <= 0 ? '0' : (D.slice(0, p) + '0'.repeat(Math.max(0, p - D.length))).replace(/^0+(?=\d)/, '');
  const frac = p >= D.length ? '' : p < 0 ? '0'.repeat(-p) + D : D.slice(p);
  const grouped = int.length > 3 ? int.replace(/\B(?=(\d{3})+$)/g, sym[1]) : int;
  return `${v < 0 ? '-' : ''}${grouped}${frac ? sym[0] + frac : ''}`;
}
