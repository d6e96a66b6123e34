import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { type Observable, tap } from 'rxjs';
import { NoOpForInProcessCalls } from '../messaging/in-process.direct.js';

interface ContractPacket {
  meta?: { correlationId?: string };
  correlationId?: string;
}

/**
 * One log line per contract message or event handled over a real transport (the in-process transport
 * passes no transport context, and the facade's request line already covers it). The line carries the
 * caller's correlation id, so one request can be followed across processes.
 */
@Injectable()
@NoOpForInProcessCalls() // in-process calls carry no transport context
export class RpcLoggingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc();
    if (rpc.getContext() === undefined) return next.handle();
    const data = rpc.getData<ContractPacket>();
    const correlationId = data?.meta?.correlationId ?? data?.correlationId;
    const handler = `${context.getClass().name}.${context.getHandler().name}`;
    const started = performance.now();
    const log = (outcome: string) =>
      this.logger.log({
        event: 'rpc.handled',
        correlationId,
        handler,
        outcome,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
    return next.handle().pipe(tap({ complete: () => log('ok'), error: () => log('error') }));
  }
}
