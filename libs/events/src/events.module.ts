import { Module } from '@nestjs/common';
import { DomainEvents } from './domain-events';
import { EventDispatcher } from './event-dispatcher';

/** Domain events after commit. Needs the app's ConfigModule, PersistenceModule and QueueModule. */
@Module({ providers: [DomainEvents, EventDispatcher], exports: [DomainEvents, EventDispatcher] })
export class EventsModule {}
