import { Controller, Get } from '@nestjs/common';
import { Public } from '@deload/auth';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { QueuesHealthIndicator } from './queues.health';
import { RedisHealthIndicator } from './redis.health';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly queues: QueuesHealthIndicator,
  ) {}

  /** 200 when PostgreSQL, Redis and every queue's connection answer; 503 naming what does not. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1_000 }),
      () => this.redis.isHealthy('redis'),
      () => this.queues.isHealthy('queues'),
    ]);
  }
}
