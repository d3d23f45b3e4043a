import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { forbidden, isUuid } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { ShoeEntity, ShoesRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { parseThresholds } from '@deload/rules';
import { PreferencesPatch, ShoePatch } from './settings.schema';

/**
 * Fields whose change can change what the rules say or which alert email goes (the others are only
 * about display or other emails): a runner who turns alert emails on hears at once of what is open.
 */
const EVALUATION_INPUTS: (keyof PreferencesPatch)[] = ['timezone', 'ruleThresholds', 'units', 'alertEmails'];

/** A runner's own settings and shoes. Changes that affect the rules declare so (the runner is re-evaluated). */
@Injectable()
export class SettingsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly shoes: ShoesRepository,
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

  async shoesOf(userId: string): Promise<ShoeEntity[]> {
    return this.shoes.ofUser(userId);
  }

  /** Only the shoe's owner changes it; another runner's shoe id is refused like a missing one. */
  async updateShoe(user: Pick<UserEntity, 'id'>, shoeId: string, patch: ShoePatch): Promise<ShoeEntity> {
    const shoe = isUuid(shoeId) ? await this.shoes.ownedBy(user.id, shoeId) : null;
    if (!shoe) throw forbidden('this is not one of your shoes');
    const changes: Partial<ShoeEntity> = {};
    if (patch.retireThresholdM !== undefined && patch.retireThresholdM !== shoe.retireThresholdM)
      changes.retireThresholdM = patch.retireThresholdM;
    if (patch.retired !== undefined && patch.retired !== shoe.retired) changes.retired = patch.retired;
    if (!Object.keys(changes).length) return shoe;
    await this.dataSource.transaction(async (manager) => {
      await this.shoes.update(shoe.id, user.id, changes, manager);
      await this.events.record(manager, { type: 'shoes-changed', userId: user.id });
    });
    return this.shoes.byIdOrFail(shoe.id);
  }
}
