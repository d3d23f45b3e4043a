/**
 * @deload/pain-tags — reads pain reports from what runners type in a run's title or description
 * (`pain @ 6.5k`, `ITB 35min`, `no pain`). Pure: no framework, database or network.
 */
export { parsePainTag, type PainTag, type PainTagOptions } from './pain-tag';
