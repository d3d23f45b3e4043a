import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { getQueueToken, WorkerHost } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ConfigModule } from '@deload/config';
import { ownRedisPrefix, testEnv } from '../../../test/support/test-env';
import { MissingProcessorError, ProcessorCoverageCheck } from './processor-coverage';
import { QueueProcessor } from './queue-processor.decorator';
import { QueueModule } from './queue.module';
import { queueNames } from './queues';

@QueueProcessor('evaluate')
class OnlyEvaluateProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

describe('a worker whose processors do not cover the declared queues', () => {
  it('refuses to start, naming every queue without a processor', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testEnv(ownRedisPrefix('coverage'))), QueueModule, DiscoveryModule],
      providers: [ProcessorCoverageCheck, OnlyEvaluateProcessor],
    }).compile();
    try {
      let failure: unknown;
      try {
        moduleRef.get(ProcessorCoverageCheck).onApplicationBootstrap();
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(MissingProcessorError);
      const message = (failure as Error).message;
      for (const queue of queueNames().filter((name) => name !== 'evaluate'))
        expect(message).toContain(`queue "${queue}" has no processor`);
      expect(message).not.toContain('queue "evaluate"');
    } finally {
      // Closing a BullMQ queue whose connection is still being set up makes it emit 'error' after its
      // listeners are gone, which ends the test process: let every queue connect first.
      await Promise.all(queueNames().map((name) => moduleRef.get<Queue>(getQueueToken(name)).waitUntilReady()));
      await moduleRef.close();
    }
  });
});
