/**
 * Seeded PRNG (sfc32, seeded through cyrb128) so that the sample dataset and
 * the bench data are the same bytes on every run. Each stream of activity
 * forks its own generator by label: adding events to one stream never shifts
 * the random numbers of another.
 */

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX = '0123456789abcdef';
const UPPER_HEX = '0123456789ABCDEF';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** AWS access key ids and unique ids use upper-case letters and digits. */
const AWS_ID = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(seed);
    for (let i = 0; i < 15; i++) this.u32();
  }

  fork(label: string): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  u32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Log-normal around a median: sizes and durations have long right tails. */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }

  chars(alphabet: string, n: number): string {
    const len = alphabet.length;
    let s = '';
    // Alphabets of 16, 32 or 64 symbols take several symbols from one draw: the bench draws millions.
    const bits = len === 16 ? 4 : len === 32 ? 5 : len === 64 ? 6 : 0;
    if (bits === 0) {
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * len)];
      return s;
    }
    const perDraw = Math.floor(32 / bits);
    const mask = len - 1;
    while (s.length < n) {
      let v = this.u32();
      for (let k = 0; k < perDraw && s.length < n; k++) {
        s += alphabet[v & mask];
        v >>>= bits;
      }
    }
    return s;
  }

  hex(n: number): string {
    return this.chars(HEX, n);
  }

  upperHex(n: number): string {
    return this.chars(UPPER_HEX, n);
  }

  alnum(n: number): string {
    return this.chars(ALNUM, n);
  }

  lowerAlnum(n: number): string {
    return this.chars(LOWER_ALNUM, n);
  }

  awsId(n: number): string {
    return this.chars(AWS_ID, n);
  }

  base64(bytes: number): string {
    const full = Math.floor(bytes / 3) * 4;
    const rest = bytes % 3;
    let s = this.chars(BASE64, full);
    if (rest === 1) s += this.chars(BASE64, 2) + '==';
    if (rest === 2) s += this.chars(BASE64, 3) + '=';
    return s;
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
