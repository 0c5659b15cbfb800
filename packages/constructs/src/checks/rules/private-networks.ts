/** RFC 1918's IPv4 ranges, as [network, prefix length]. */
const PRIVATE_IPV4: readonly (readonly [number, number])[] = [
  [ipv4("10.0.0.0")!, 8],
  [ipv4("172.16.0.0")!, 12],
  [ipv4("192.168.0.0")!, 16],
];

function ipv4(address: string): number | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/**
 * Whether every address of `cidr` is private: inside RFC 1918 (10/8, 172.16/12, 192.168/16) or the IPv6 unique local
 * range (fc00::/7). A Terraform reference, a malformed value or anything wider counts as public: it cannot be shown private.
 */
export function isPrivateCidr(cidr: string): boolean {
  const [address = "", lengthText = ""] = cidr.split("/");
  const length = Number(lengthText);
  if (!/^\d{1,3}$/.test(lengthText) || cidr.includes("${")) return false;
  if (address.includes(":")) {
    const first = address.startsWith("::") ? 0 : Number.parseInt(address.split(":")[0] ?? "", 16);
    return length >= 7 && length <= 128 && Number.isInteger(first) && (first & 0xfe00) === 0xfc00;
  }
  const value = ipv4(address);
  if (value === undefined || length > 32) return false;
  return PRIVATE_IPV4.some(([network, prefix]) => length >= prefix && Math.floor(value / 2 ** (32 - prefix)) === Math.floor(network / 2 ** (32 - prefix)));
}
