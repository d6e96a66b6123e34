import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../http/public.decorator.js';
import { metricsRegistry } from './metrics.js';
import { ApiExcludeController } from '../http/openapi/api-docs.decorators.js';

/** Prometheus scrape endpoint. In production keep it off the public load balancer. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
