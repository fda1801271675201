/**
 * Keeps credentials out of everything a person or a log sees. Two layers: the exact tokens this window has
 * used (and the forms a server is likely to echo them in), and a shape rule for anything that looks like
 * a Devin credential at all, so a token the window never held (another user's, a rotated one) is hidden too.
 */

const REDACTED = '…';

/**
 * A credential's prefix followed by everything a token, a JWT-like `cog_abcd.efgh.SECRET` or an encoded
 * copy can contain. No word boundary before the prefix: `Bearer_cog_…`, `xcog_…` and `%20cog_…` are
 * echoes too, and hiding a harmless word by mistake costs less than showing a secret.
 */
const CREDENTIAL_SHAPE = /(cog|apk_user|apk)_[A-Za-z0-9._~+/=%-]{4,}/g;

/** Characters of the base64 and base64url alphabets, to widen a match to the whole encoded run. */
const BASE64_RUN = '[A-Za-z0-9+/_-]*';

/**
 * Below this many characters an encoded fragment could match ordinary text by chance; Devin tokens are far
 * longer, so this only matters for tests and for values that are not real tokens.
 */
const MIN_FRAGMENT_LENGTH = 12;

export class SecretRedactor {
  private readonly secrets = new Map<string, RegExp>();

  /** How many distinct secrets are remembered; older ones are forgotten first. */
  constructor(private readonly capacity = 8) {}

  /** Remembers a secret so its exact value and encodings are redacted from now on. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4 || this.secrets.has(secret)) return;
    this.secrets.set(secret, patternFor(secret));
    while (this.secrets.size > this.capacity) {
      const oldest = this.secrets.keys().next().value as string;
      this.secrets.delete(oldest);
    }
  }

  redact(text: string): string {
    let result = text;
    for (const pattern of this.secrets.values()) result = result.replace(pattern, REDACTED);
    return result.replace(CREDENTIAL_SHAPE, (_match, prefix: string) => `${prefix}_${REDACTED}`);
  }

  /**
   * Redacts every string inside a JSON-like value (a message posted to a page), property names included,
   * leaving its shape alone.
   */
  redactDeep<T>(value: T): T {
    return deepMap(value, (text) => this.redact(text)) as T;
  }

  /**
   * Redacts, then shortens to `maxLength` characters (a tab title). In that order: a secret cut in half is no
   * longer recognised as a whole, and what is left of it would show.
   */
  redactShortened(text: string, maxLength: number): string {
    const redacted = this.redact(text);
    return redacted.length > maxLength ? `${redacted.slice(0, Math.max(0, maxLength - 1))}…` : redacted;
  }
}

/** The secrets this extension host has sent or been given, shared by every place that shows server text. */
export const knownSecrets = new SecretRedactor();

/** Redacts the known secrets and anything shaped like a Devin credential. */
export function redactSecrets(text: string): string {
  return knownSecrets.redact(text);
}

/** One alternation of every form of `secret` worth looking for, longest first so a wider form wins. */
function patternFor(secret: string): RegExp {
  const literal = new Set<string>([secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))]);
  const encoded = new Set<string>();
  for (const fragment of base64Fragments(secret)) {
    if (fragment.length < MIN_FRAGMENT_LENGTH) continue;
    encoded.add(fragment);
    encoded.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const alternatives = [
    ...[...literal].sort(byLengthDescending).map((form) => escapeRegExp(form)),
    // An encoded copy sits inside a longer run (`Bearer cog_…` encoded whole): hide the run, padding included,
    // since its edge characters carry bits of the secret too.
    ...[...encoded].sort(byLengthDescending).map((form) => `${BASE64_RUN}${escapeRegExp(form)}${BASE64_RUN}=*`),
  ];
  // Case-insensitive for the percent-escapes (`%2f` and `%2F`); base64 forms are long enough that a
  // case-folded false match is not a practical concern.
  return new RegExp(alternatives.join('|'), 'gi');
}

/**
 * Base64 depends on where the secret starts within its 3-byte group, so a secret encoded as part of a longer
 * string (`Authorization: Bearer cog_…`) shows one of three different texts. For each offset this returns
 * the characters that depend on the secret's bytes alone.
 */
export function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    // Characters touched by the padding bytes at the start: none, 2 or 3.
    const skip = offset === 0 ? 0 : offset === 1 ? 2 : 3;
    // Only whole groups: the last, partial group's characters depend on whatever follows the secret.
    const whole = Math.floor(padded.length / 3) * 4;
    fragments.push(encoded.slice(skip, whole));
  }
  return fragments;
}

function deepMap(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => deepMap(item, map));
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    // Defined, not assigned: a `__proto__` key from the server stays a plain property.
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(result, map(key), {
        value: deepMap(item, map),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return result;
  }
  return value;
}

function byLengthDescending(a: string, b: string): number {
  return b.length - a.length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
