import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { Sessions1763710000000 } from './1763710000000-Sessions';
import { AlertNotifyRequestedSeverity1795233007461 } from './1795233007461-AlertNotifyRequestedSeverity';
import { EmailDeliveries1795233096828 } from './1795233096828-EmailDeliveries';
import { StravaPushSubscriptions1795236081105 } from './1795236081105-StravaPushSubscriptions';
import { EventOutbox1796284115769 } from './1796284115769-EventOutbox';
import { EmailDeliveryReceipts1796284115770 } from './1796284115770-EmailDeliveryReceipts';
import { WebhookEventRetries1796284115771 } from './1796284115771-WebhookEventRetries';
import { UserAdminFlag1796284425527 } from './1796284425527-UserAdminFlag';
import { AlertEmailPolicy1796284727883 } from './1796284727883-AlertEmailPolicy';
import { AlertUsesStravaData1796285768170 } from './1796285768170-AlertUsesStravaData';
import { ShoesFirstClass1796300000000 } from './1796300000000-ShoesFirstClass';
import { RunEdits1796310000000 } from './1796310000000-RunEdits';
import { AlertActions1796314959564 } from './1796314959564-AlertActions';
import { RunnerLoadSummaries1796320185500 } from './1796320185500-RunnerLoadSummaries';
import { Uploads1796321942000 } from './1796321942000-Uploads';

/** Every migration, oldest first. Add new ones at the end (timestamped file name = class suffix). */
export const MIGRATIONS = [
  InitialSchema1763700000000,
  Sessions1763710000000,
  AlertNotifyRequestedSeverity1795233007461,
  EmailDeliveries1795233096828,
  StravaPushSubscriptions1795236081105,
  EventOutbox1796284115769,
  EmailDeliveryReceipts1796284115770,
  WebhookEventRetries1796284115771,
  UserAdminFlag1796284425527,
  AlertEmailPolicy1796284727883,
  AlertUsesStravaData1796285768170,
  ShoesFirstClass1796300000000,
  RunEdits1796310000000,
  AlertActions1796314959564,
  RunnerLoadSummaries1796320185500,
  Uploads1796321942000,
];
