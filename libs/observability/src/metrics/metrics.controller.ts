import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { register } from 'prom-client';
import { QueueDepthCollector } from './queue-depth.collector';

/**
 * `GET /metrics`: every metric of this process in Prometheus' text format (prom-client's default
 * registry). 404 when METRICS_ENABLED=false.
 */
@Controller('metrics')
export class MetricsController {
  private readonly enabled: boolean;

  constructor(
    private readonly depth: QueueDepthCollector,
    config: ConfigService,
  ) {
    this.enabled = config.get<boolean>('METRICS_ENABLED') !== false;
  }

  @Get()
  @Header('Content-Type', register.contentType)
  async scrape(): Promise<string> {
    if (!this.enabled) throw new NotFoundException('metrics are disabled (METRICS_ENABLED=false)');
    await this.depth.refresh();
    return register.metrics();
  }
}
