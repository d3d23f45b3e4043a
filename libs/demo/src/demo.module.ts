import { Module } from '@nestjs/common';
import { SignInModule } from '@deload/auth';
import { FileImportModule } from '@deload/ingest';
import { PainReportsModule } from '@deload/pain-reports';
import { TeamsModule } from '@deload/teams';
import { DemoPipeline } from './demo-pipeline.service';
import { DemoSeeder } from './demo-seeder.service';

@Module({
  imports: [FileImportModule, PainReportsModule, TeamsModule, SignInModule],
  providers: [DemoSeeder, DemoPipeline],
  exports: [DemoSeeder, DemoPipeline],
})
export class DemoModule {}
