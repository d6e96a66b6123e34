import { Controller, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { pingPattern } from '@ficus/contracts';

/** Answers `<context>.ping.v1` so callers' readiness checks can reach the context over its transport. */
export function pingControllerFor(context: string): Type {
  @Controller()
  class ContextPingController {
    @MessagePattern(pingPattern(context))
    ping() {
      return { context, status: 'ok' };
    }
  }
  return ContextPingController;
}
