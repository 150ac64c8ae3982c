// CIDR checks as the control plane makes them (site/Cidr.java), so the form marks a bad range
// while it is typed. The API stays the judge: it also refuses ranges overlapping other sites'.

interface Network {
  v6: boolean;
  base: bigint;
  prefix: number;
}

const bits = (v6: boolean) => (v6 ? 128 : 32);

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function format(n: Network): string {
  if (!n.v6) return [24n, 16n, 8n, 0n].map((s) => String((n.base >> s) & 255n)).join('.') + `/${n.prefix}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((n.base >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::') + `/${n.prefix}`;
}

const hostMask = (n: { v6: boolean; prefix: number }) => (1n << BigInt(bits(n.v6) - n.prefix)) - 1n;

/** The range, or why it is not one. */
export function parseCidr(text: string): Network | string {
  const s = text.trim();
  if (!s.includes('/')) return `"${s}" has no prefix length (e.g. /24)`;
  const [address, prefixText] = s.split('/', 2);
  const v6 = address.includes(':');
  if (v6 && address.includes('.')) return `"${s}": write IPv4-mapped ranges as IPv4`;
  const base = v6 ? parseV6(address) : parseV4(address);
  if (base === undefined) return `"${s}" is not an IPv4 or IPv6 network`;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits(v6)) return `"${s}": the prefix length must be 0 to ${bits(v6)}`;
  const n = { v6, base, prefix: Number(prefixText) };
  if ((base & hostMask(n)) !== 0n) return `"${s}" has host bits set; did you mean ${format({ ...n, base: base & ~hostMask(n) })}?`;
  if (v6 && n.prefix >= 96 && base >> 32n === 0xffffn) return `"${s}" is IPv4-mapped: write the IPv4 range`;
  return n;
}

const overlaps = (a: Network, b: Network) => {
  if (a.v6 !== b.v6) return false;
  const wider = a.prefix <= b.prefix ? a : b;
  const narrower = wider === a ? b : a;
  return (narrower.base & ~hostMask(wider)) === wider.base;
};

/** One message per bad line (empty lines ignored), and overlaps between the lines. */
export function cidrErrors(lines: string[]): string[] {
  const errors: string[] = [];
  const good: { text: string; net: Network }[] = [];
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const parsed = parseCidr(line);
    if (typeof parsed === 'string') errors.push(parsed);
    else {
      const clash = good.find((g) => overlaps(g.net, parsed));
      if (clash) errors.push(`"${line}" overlaps "${clash.text}"`);
      good.push({ text: line, net: parsed });
    }
  }
  return errors;
}
