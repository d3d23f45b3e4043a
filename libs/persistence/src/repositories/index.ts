import type { Provider } from '@nestjs/common';

export { TableRepository } from './table-repository';

/** Every repository, provided (and exported) by PersistenceModule. Add new ones here. */
export const REPOSITORIES: Provider[] = [];
