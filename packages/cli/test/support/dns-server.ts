// A DNS server on loopback (UDP, random port) that answers NS queries from a table, NXDOMAIN otherwise.
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import * as dnsPacket from "dns-packet";

export interface FakeDnsServer {
  /** `127.0.0.1:PORT`, the value for --resolver. */
  readonly address: string;
  /** Names asked so far. */
  readonly questions: string[];
  close(): Promise<void>;
}

/** `delegations` maps a domain to the NS names the server returns for it. */
export async function startDnsServer(delegations: Record<string, string[]>): Promise<FakeDnsServer> {
  const socket = createSocket("udp4");
  const questions: string[] = [];
  socket.on("message", (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    questions.push(question.name);
    const servers = question.type === "NS" ? delegations[question.name.toLowerCase()] : undefined;
    const response = dnsPacket.encode({
      id: query.id,
      type: "response",
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (servers || delegations[question.name.toLowerCase()] ? 0 : 3), // rcode 3: NXDOMAIN
      questions: [question],
      answers: (servers ?? []).map((data) => ({ type: "NS" as const, class: "IN" as const, name: question.name, ttl: 60, data })),
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
