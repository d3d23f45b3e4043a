import { DataSource, EntityManager } from 'typeorm';

/**
 * Base of the repositories: every query on our tables lives in one of them (libs/persistence is
 * the only place that writes SQL or query builders; lint enforces it).
 *
 * A method that may run inside the caller's transaction takes the transaction's manager as its
 * last, optional argument (`tx`): `runs.inWindow(userId, from, to, tx)`. Without it the
 * method runs on its own connection.
 */
export abstract class TableRepository {
  constructor(protected readonly dataSource: DataSource) {}

  /** The caller's transaction if it passed one, else the data source's own manager. */
  protected db(tx?: EntityManager): EntityManager {
    return tx ?? this.dataSource.manager;
  }
}
