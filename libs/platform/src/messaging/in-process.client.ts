import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { ContractMessage } from '@ficus/contracts';
import type { InProcessServer } from './in-process.server.js';

/** The client half of the in-process transport; `ContextClient` uses it for contexts hosted in this process. */
export class InProcessClient extends ClientProxy {
  constructor(private readonly server: InProcessServer) {
    super();
  }

  async connect(): Promise<void> {}

  close(): void {}

  unwrap<T>(): T {
    return this.server as T;
  }

  /**
   * The same call without `ClientProxy`'s observable machinery (what `ContextClient` uses): resolves with
   * the handler's answer, rejects with its error body or `NoHandlerError`. Always after a microtask hop,
   * so call order stays asynchronous, as over any real transport.
   */
  async call(pattern: string, message: ContractMessage<unknown>): Promise<unknown> {
    await Promise.resolve();
    return this.server.request(pattern, message);
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let disposed = false;
    // A microtask hop keeps call order asynchronous, as any real transport is.
    queueMicrotask(() => {
      this.server.request(String(packet.pattern), packet.data as ContractMessage<unknown>).then(
        (response) => !disposed && callback({ response, isDisposed: true }),
        (err: unknown) => !disposed && callback({ err, isDisposed: true }),
      );
    });
    return () => {
      disposed = true;
    };
  }

  protected dispatchEvent<T>(): Promise<T> {
    throw new Error('Integration events travel through the outbox, not through ClientProxy.emit');
  }
}
