import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SignInModule } from '@deload/auth';
import { IngestModule } from '@deload/ingest';
import { PainReportsModule } from '@deload/pain-reports';
import { TeamEntity } from '@deload/persistence';
import { TeamsModule } from '@deload/teams';
import { DemoPipeline } from './demo-pipeline.service';
import { DemoSeeder } from './demo-seeder.service';

@Module({
  imports: [TypeOrmModule.forFeature([TeamEntity]), IngestModule, PainReportsModule, TeamsModule, SignInModule],
  providers: [DemoSeeder, DemoPipeline],
  exports: [DemoSeeder, DemoPipeline],
})
export class DemoModule {}
