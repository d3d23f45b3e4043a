import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvents } from '@deload/events';
import { UserEntity, UsersRepository } from '@deload/persistence';
import { parseThresholds } from '@deload/rules';
import { PreferencesPatch } from './settings.schema';

/**
 * Fields whose change can change what the rules say or which alert email goes (the others are only
 * about display or other emails): a runner who turns alert emails on hears at once of what is open.
 */
const EVALUATION_INPUTS: (keyof PreferencesPatch)[] = ['timezone', 'ruleThresholds', 'units', 'alertEmails'];

/** A runner's own settings (shoes: ShoesService). Changes that affect the rules declare so (the runner is re-evaluated). */
@Injectable()
export class SettingsService {
  constructor(
    private readonly users: UsersRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async updatePreferences(user: UserEntity, patch: PreferencesPatch): Promise<UserEntity> {
    if (patch.ruleThresholds !== undefined) parseThresholds(patch.ruleThresholds);
    const changed = (Object.keys(patch) as (keyof PreferencesPatch)[]).filter(
      (key) => patch[key] !== undefined && JSON.stringify(patch[key]) !== JSON.stringify(user[key]),
    );
    if (!changed.length) return user;
    await this.dataSource.transaction(async (manager) => {
      await this.users.update(user.id, Object.fromEntries(changed.map((key) => [key, patch[key]])), manager);
      if (changed.some((key) => EVALUATION_INPUTS.includes(key)))
        await this.events.record(manager, { type: 'settings-changed', userId: user.id });
    });
    return this.users.byIdOrFail(user.id);
  }
}
