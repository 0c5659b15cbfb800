// Asks public DNS for a domain's NS records, through the system resolver or one given as --resolver HOST[:PORT].
import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { z } from "zod";
import type { Answer } from "./checks.js";

/**
 * `--resolver`: an IP address with an optional port (`8.8.8.8`, `127.0.0.1:5353`, `::1`, `[::1]:5353`), in the
 * form `Resolver.setServers` takes. Names are refused: the resolver would need a resolver to find them.
 */
export const resolverFlag = z.string().transform((text, context) => {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const ipv4WithPort = /^([^:]+):(\d+)$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1] ?? "", bracketed[2]] : ipv4WithPort ? [ipv4WithPort[1] ?? "", ipv4WithPort[2]] : [text, undefined];
  const family = isIP(host);
  if (family === 0) {
    context.addIssue({ code: "custom", message: `"${text}" is not an IP address with an optional port, e.g. 8.8.8.8, 127.0.0.1:5353 or [::1]:5353` });
    return z.NEVER;
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    context.addIssue({ code: "custom", message: `port ${port} is not between 1 and 65535` });
    return z.NEVER;
  }
  if (port === undefined) return host;
  return family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
});

export async function queryNameServers(domain: string, resolverAddress: string | undefined): Promise<Answer<string[]>> {
  // Two tries of 2.5 s: a broken resolver fails preflight in seconds, not the c-ares default of minutes.
  const resolver = new Resolver({ timeout: 2500, tries: 2 });
  if (resolverAddress) resolver.setServers([resolverAddress]);
  try {
    return { ok: true, value: await resolver.resolveNs(domain) };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { ok: false, code: code ?? "ERROR", message };
  }
}
