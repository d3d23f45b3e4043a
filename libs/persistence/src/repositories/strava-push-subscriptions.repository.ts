import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StravaPushSubscriptionEntity } from '../entities/strava-push-subscription.entity';
import { TableRepository } from './table-repository';

/** The push subscriptions at Strava that Deload has on record (webhook events must carry one of their ids). */
@Injectable()
export class StravaPushSubscriptionsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Records the subscription (again: its callback URL is updated). */
  async record(id: number, callbackUrl: string): Promise<void> {
    await this.db().upsert(StravaPushSubscriptionEntity, { id, callbackUrl }, ['id']);
  }

  isRecorded(id: number): Promise<boolean> {
    return this.db().existsBy(StravaPushSubscriptionEntity, { id });
  }

  async recordedIds(): Promise<number[]> {
    return (await this.db().find(StravaPushSubscriptionEntity)).map((row) => row.id);
  }

  /** The subscription recorded last for this callback URL. */
  async latestFor(callbackUrl: string): Promise<StravaPushSubscriptionEntity | null> {
    const [latest] = await this.db().find(StravaPushSubscriptionEntity, { where: { callbackUrl }, order: { createdAt: 'DESC' }, take: 1 });
    return latest ?? null;
  }

  async forget(id: number): Promise<void> {
    await this.db().delete(StravaPushSubscriptionEntity, { id });
  }
}
