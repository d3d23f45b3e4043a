import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { forbidden, invalid, isUuid } from '@deload/domain';
import { DomainEvents } from '@deload/events';
import { LocallyEditableShoeField, ShoeEntity, ShoesRepository } from '@deload/persistence';
import { NewShoeInput, ShoePatch } from './shoes.schema';

/** Fields a patch may change on the row as they are (defaultFor has its own write). */
const COLUMNS = ['name', 'brand', 'model', 'startingDistanceM', 'retireThresholdM', 'retired'] as const;
const EDITABLE: readonly string[] = ['name', 'brand', 'model', 'retireThresholdM', 'retired'] satisfies LocallyEditableShoeField[];

/**
 * A runner's own shoes: add, rename, set the distances, retire, pick the default shoe of a sport.
 * Only the owner changes a shoe (another runner's shoe id is refused like a missing one). Every
 * change declares `shoes-changed` in its transaction, so the runner is evaluated again.
 *
 * Strava gear: the fields the runner changes here are remembered (`locallyEdited`) and the Strava
 * sync leaves them alone. Its distance is Strava's (it counts activities Deload never stored), so a
 * starting distance is refused for it.
 */
@Injectable()
export class ShoesService {
  constructor(
    private readonly shoes: ShoesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async shoesOf(userId: string): Promise<ShoeEntity[]> {
    return this.shoes.ofUser(userId);
  }

  async create(userId: string, input: NewShoeInput): Promise<ShoeEntity> {
    const { defaultFor, ...fields } = input;
    const id = await this.dataSource.transaction(async (manager) => {
      const shoe = await this.shoes.createManual(userId, fields, manager);
      if (defaultFor.length) await this.shoes.setDefaultFor(userId, shoe.id, defaultFor, manager);
      await this.changed(manager, userId);
      return shoe.id;
    });
    return this.shoes.byIdOrFail(id);
  }

  async update(userId: string, shoeId: string, patch: ShoePatch): Promise<ShoeEntity> {
    const shoe = await this.ownShoe(userId, shoeId);
    if (patch.startingDistanceM !== undefined && shoe.source === 'strava' && patch.startingDistanceM !== shoe.startingDistanceM)
      throw invalid('startingDistanceM: Strava reports this shoe’s distance; change it at Strava');
    const changes: Partial<ShoeEntity> = {};
    for (const key of COLUMNS) if (patch[key] !== undefined && patch[key] !== shoe[key]) Object.assign(changes, { [key]: patch[key] });
    const edited = Object.keys(changes).filter((key) => EDITABLE.includes(key)) as LocallyEditableShoeField[];
    if (edited.length) changes.locallyEdited = [...new Set([...shoe.locallyEdited, ...edited])];
    const defaultFor = this.defaultChange(shoe, patch);
    if (!Object.keys(changes).length && !defaultFor) return shoe;
    await this.dataSource.transaction(async (manager) => {
      if (Object.keys(changes).length) await this.shoes.update(shoe.id, userId, changes, manager);
      if (defaultFor) await this.shoes.setDefaultFor(userId, shoe.id, defaultFor, manager);
      await this.changed(manager, userId);
    });
    return this.shoes.byIdOrFail(shoe.id);
  }

  /**
   * The sports the shoe is to be the default for, or null when that does not change. A retired
   * pair is the default of nothing (and cannot be made one without being brought back).
   */
  private defaultChange(shoe: ShoeEntity, patch: ShoePatch): string[] | null {
    const retired = patch.retired ?? shoe.retired;
    const wanted = retired ? [] : (patch.defaultFor ?? shoe.defaultForSports);
    if (retired && patch.defaultFor?.length) throw invalid('defaultFor: a retired shoe cannot be the default; bring it back first');
    const same = wanted.length === shoe.defaultForSports.length && wanted.every((sport) => shoe.defaultForSports.includes(sport));
    return same ? null : [...wanted];
  }

  private async ownShoe(userId: string, shoeId: string): Promise<ShoeEntity> {
    const shoe = isUuid(shoeId) ? await this.shoes.ownedBy(userId, shoeId) : null;
    if (!shoe) throw forbidden('this is not one of your shoes');
    return shoe;
  }

  private changed(manager: EntityManager, userId: string): Promise<void> {
    return this.events.record(manager, { type: 'shoes-changed', userId });
  }
}
