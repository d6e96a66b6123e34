import { Logger } from '@nestjs/common';
import type { ContextName } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';

/** The contexts GET /v1/home reads from, in the order `degraded` lists them. */
export const HOME_CONTEXTS = ['identity', 'catalog', 'ordering', 'notifications'] as const satisfies ContextName[];
export type HomeContext = (typeof HOME_CONTEXTS)[number];

const TIMED_OUT = Symbol('timed out');

/**
 * One GET /v1/home: its sections run in parallel, each given `deadlineMs` from the moment it starts. A
 * section whose context is slower, down (transport failure, open breaker) or fails unexpectedly answers
 * its fallback and puts the context into `degraded`, so the first screen renders whatever is healthy
 * instead of waiting for, or failing with, the slowest context. A late answer is dropped; the call itself
 * runs out on the client's own deadline (and counts towards that context's breaker as usual).
 */
export class HomeSections {
  private static readonly logger = new Logger('HomeSections');
  private readonly failed = new Set<HomeContext>();

  constructor(
    private readonly deadlineMs: number,
    private readonly correlationId: string,
  ) {}

  /**
   * `fetch`'s answer, or `fallback` when it is late or fails. `absentOn` lists contract error codes that are
   * an answer rather than a failure (a signed-in user identity does not know: `me` is null, not degraded).
   */
  async run<T>(context: HomeContext, fetch: () => Promise<T>, fallback: T, absentOn: string[] = []): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(resolve, this.deadlineMs, TIMED_OUT)));
    const call = fetch();
    call.catch(() => undefined); // a late failure is nobody's business any more
    try {
      const outcome = await Promise.race([call, late]);
      if (outcome !== TIMED_OUT) return outcome;
      this.degrade(context, `no answer within ${this.deadlineMs} ms`);
    } catch (error) {
      if (error instanceof ContractCallError && absentOn.includes(error.code)) return fallback;
      this.degrade(context, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
    return fallback;
  }

  /** The contexts that could not fill their section, in a stable order. */
  degraded(): HomeContext[] {
    return HOME_CONTEXTS.filter((context) => this.failed.has(context));
  }

  private degrade(context: HomeContext, reason: string): void {
    this.failed.add(context);
    HomeSections.logger.warn(
      { event: 'home.section-degraded', context, reason, correlationId: this.correlationId },
      `home: ${context} left out (${reason})`,
    );
  }
}
