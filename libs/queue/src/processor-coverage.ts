import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { QUEUE_PROCESSOR_METADATA } from './queue-processor.decorator';
import { queueNames } from './queues';

export class MissingProcessorError extends Error {}

/** Returns a problem per queue that has no processor or more than one. */
export function processorProblems(declared: readonly string[], processed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const queue of declared) {
    const count = processed.filter((name) => name === queue).length;
    if (count === 0) problems.push(`queue "${queue}" has no processor`);
    if (count > 1) problems.push(`queue "${queue}" has ${count} processors`);
  }
  for (const queue of new Set(processed)) {
    if (!declared.includes(queue)) problems.push(`processor for undeclared queue "${queue}"`);
  }
  return problems;
}

/** Refuses to start a worker whose processors do not cover the declared queues one-to-one. */
@Injectable()
export class ProcessorCoverageCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const processed = this.discovery
      .getProviders()
      .map((wrapper) => (wrapper.metatype ? this.reflector.get<string>(QUEUE_PROCESSOR_METADATA, wrapper.metatype) : undefined))
      .filter((name): name is string => typeof name === 'string');
    const problems = processorProblems(queueNames(), processed);
    if (problems.length) throw new MissingProcessorError(`worker cannot start: ${problems.join('; ')}`);
  }
}
