import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@deload/config';

/** Says at start-up when SECRET_KEY is the public development key: anyone who knows it can forge sign-in links. */
@Injectable()
export class DevelopmentKeyWarning implements OnApplicationBootstrap {
  private readonly logger = new Logger('Config');

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.env.usingDevelopmentSecretKey)
      this.logger.warn(
        'SECRET_KEY is the public development key: anyone can forge sign-in links with it. Fine on this machine only; set your own (`openssl rand -hex 32`) before anyone else can reach Deload',
      );
  }
}
