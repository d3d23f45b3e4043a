import { Module } from '@nestjs/common';
import { AlertActions } from './alert-actions.service';

/** Acknowledging and dismissing alerts (the api). Needs PersistenceModule and AuthModule. */
@Module({ providers: [AlertActions], exports: [AlertActions] })
export class AlertActionsModule {}
