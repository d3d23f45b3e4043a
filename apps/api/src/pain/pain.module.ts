import { Module } from '@nestjs/common';
import { PainReportsModule } from '@deload/pain-reports';
import { PainCheckinController } from './pain-checkin.controller';
import { PainReportsApiController } from './pain-reports.api.controller';
import { PainReportsController } from './pain-reports.controller';

/** Pain reports of a run: the JSON API (/api/runs/:id/pain), the web form (/runs/:id/pain) and the emailed check-in (/pain/checkin). */
@Module({
  imports: [PainReportsModule],
  controllers: [PainReportsApiController, PainReportsController, PainCheckinController],
})
export class PainHttpModule {}
