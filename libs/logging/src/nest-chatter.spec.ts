import { LoggerService } from '@nestjs/common';
import { QuietNestChatter } from './nest-chatter';

describe('QuietNestChatter', () => {
  it("moves Nest's start-up narration and its copy of a start-up failure to debug, and keeps everything else", () => {
    const said: string[] = [];
    const inner: LoggerService = {
      log: (message, context) => said.push(`info ${context}: ${message}`),
      error: (message, ...rest) => said.push(`error ${rest[rest.length - 1]}: ${message}`),
      warn: (message, context) => said.push(`warn ${context}: ${message}`),
      debug: (message, ...rest) => said.push(`debug ${rest[rest.length - 1]}: ${message}`),
    };
    const logger = new QuietNestChatter(inner);
    logger.log('ApiModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    logger.log('applied migrations: Init', 'Persistence');
    logger.error('listen EADDRINUSE', 'stack', 'NestApplication');
    logger.error('unexpected', 'stack', 'HttpError');
    logger.warn('redis: connect ECONNREFUSED', 'Queues');
    expect(said).toEqual([
      'debug InstanceLoader: ApiModule dependencies initialized',
      'debug RouterExplorer: Mapped {/health, GET} route',
      'info Persistence: applied migrations: Init',
      'debug NestApplication: listen EADDRINUSE',
      'error HttpError: unexpected',
      'warn Queues: redis: connect ECONNREFUSED',
    ]);
  });
});
