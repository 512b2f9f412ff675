import { BullBoardModule, InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import { createRedis, redisConnection, redisTarget, type RedisClient } from '@kraken/redis';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { DynamicModule, Injectable, Logger, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueName } from '@kraken/contracts';
import { Queue, type ConnectionOptions } from 'bullmq';
import { adminBasicAuth } from './admin-auth';
import { LoginLockout } from './login-lockout';

/** Path of the queue dashboard on the gateway's HTTP port. */
export const DASHBOARD_ROUTE = 'admin/queues';

/** How often the dashboard looks for queues it does not show yet (ms). */
const DISCOVERY_INTERVAL_MS = 60_000;

/**
 * Puts Kraken's queues on the dashboard: those named in `QueueName` (@kraken/contracts) at once, and
 * every other queue under QUEUE_PREFIX as found in Redis (BullMQ's `<prefix>:<queue>:meta` keys) at
 * start and every minute, so the queues of other apps appear without wiring. Uses its own fail-fast
 * Redis connections.
 */
@Injectable()
class DashboardQueues implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('QueueDashboard');
  private readonly queues = new Map<string, Queue>();
  private readonly connection: ConnectionOptions;
  private readonly prefix: string;
  private readonly scanner: RedisClient;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    config: ConfigService,
  ) {
    const target = redisTarget(config);
    this.connection = redisConnection(target, 'producer');
    this.scanner = createRedis(target, 'producer', { lazyConnect: true });
    this.prefix = config.getOrThrow<string>('QUEUE_PREFIX');
  }

  /** Shows the contract queues and starts discovery. */
  onModuleInit(): void {
    for (const name of Object.values(QueueName)) this.show(name);
    this.scanner.on('error', () => undefined);
    void this.discover();
    this.timer = setInterval(() => void this.discover(), DISCOVERY_INTERVAL_MS).unref();
  }

  /** Stops discovery and closes the dashboard's Redis connections. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.scanner.disconnect();
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => undefined)));
  }

  /** Adds the queues found in Redis; a Redis error only postpones discovery to the next round. */
  private async discover(): Promise<void> {
    try {
      if (this.scanner.status === 'wait') await this.scanner.connect();
      const pattern = `${this.prefix}:*:meta`;
      // SCAN walks one server: on a cluster, each master in turn.
      const servers = 'nodes' in this.scanner ? this.scanner.nodes('master') : [this.scanner];
      for (const server of servers) {
        let cursor = '0';
        do {
          const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
          for (const key of keys) this.show(key.slice(this.prefix.length + 1, -':meta'.length));
          cursor = next;
        } while (cursor !== '0');
      }
    } catch (error) {
      this.logger.debug(`queue discovery failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private show(name: string): void {
    if (this.queues.has(name) || name.includes(':')) return;
    const queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
    queue.on('error', () => undefined); // the dashboard shows Redis errors; they must not crash the gateway
    this.queues.set(name, queue);
    this.board.addQueue(new BullMQAdapter(queue));
  }
}

/** Provides the dashboard's login lockout to the bull-board options factory. */
@Module({ providers: [LoginLockout], exports: [LoginLockout] })
class LoginLockoutModule {}

/**
 * The bull-board queue dashboard (@bull-board/nestjs with the Express adapter) at `/admin/queues`,
 * behind HTTP Basic authentication for the single admin of ADMIN_USER / ADMIN_PASSWORD_HASH
 * (adminBasicAuth, with a lockout after failed logins: LoginLockout); 404 while those are not set.
 * Needs the global ConfigService.
 */
@Module({})
export class QueueDashboardModule {
  /** Builds the module (credentials from the global ConfigService). */
  static forRoot(): DynamicModule {
    return {
      module: QueueDashboardModule,
      imports: [
        BullBoardModule.forRootAsync({
          imports: [LoginLockoutModule],
          inject: [ConfigService, LoginLockout],
          useFactory: (config: ConfigService, lockout: LoginLockout) => ({
            route: `/${DASHBOARD_ROUTE}`,
            adapter: ExpressAdapter,
            middleware: adminBasicAuth({ user: config.get('ADMIN_USER'), passwordHash: config.get('ADMIN_PASSWORD_HASH') }, lockout),
            boardOptions: { uiConfig: { boardTitle: 'Kraken queues' } },
          }),
        }),
      ],
      providers: [DashboardQueues],
    };
  }
}
