// Ports of a private machine that lead to this machine's loopback: the worker, in a network of its own, dials the
// scheduler on the stack's port (50061) and reaches the scheduler the suite runs on a free loopback port here.
// The sockets inside are bound by the machine (PrivateMachine.listen) and served by this process, which connects
// each accepted connection to the target port here and copies bytes both ways.
import { connect, createServer, type Server, type Socket } from "node:net";
import type { PrivateMachine } from "./namespaces.js";

export class PortForwards {
  private readonly sockets = new Set<Socket>();
  private readonly servers: Server[] = [];

  private constructor() {}

  /** For each `port → target`: a connection to 127.0.0.1:port inside `machine` reaches 127.0.0.1:target here. */
  static async open(machine: PrivateMachine, forwards: ReadonlyMap<number, number>): Promise<PortForwards> {
    const opened = new PortForwards();
    try {
      for (const [port, target] of forwards) {
        const handle = await machine.listen("127.0.0.1", port);
        const server = createServer((inside) => opened.forward(inside, target));
        await new Promise<void>((resolve) => server.listen(handle, resolve));
        opened.servers.push(server);
      }
      return opened;
    } catch (error) {
      opened.close();
      throw error;
    }
  }

  /** Stops forwarding and ends the connections still open. */
  close(): void {
    for (const server of this.servers) server.close();
    for (const socket of this.sockets) socket.destroy();
  }

  private forward(inside: Socket, target: number): void {
    const outside = connect(target, "127.0.0.1");
    for (const socket of [inside, outside]) {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    }
    // Nothing listens on the target (a scheduler being replaced): reset the connection inside, as a refusal would.
    outside.on("error", () => {
      if (!inside.destroyed) inside.resetAndDestroy();
    });
    inside.on("error", () => outside.destroy());
    inside.pipe(outside).pipe(inside);
  }
}
