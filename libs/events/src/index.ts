/**
 * Domain events after commit: a write records what happened (DomainEvents.record, in its own
 * transaction), the EventDispatcher queues the follow-up jobs (followUpsOf) once it committed.
 */
export { DOMAIN_EVENT_TYPES, type DomainEvent, type DomainEventType } from './domain-event';
export { DomainEvents } from './domain-events';
export { EventDispatcher, POLL_MS } from './event-dispatcher';
export { EventsModule } from './events.module';
export { followUpsOf, type FollowUp, type FollowUpContext } from './follow-ups';
