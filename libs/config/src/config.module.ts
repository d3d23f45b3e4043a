import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { loadConfig, loadConfigOrExit } from './load-config';

@Global()
@Module({})
export class ConfigModule {
  /**
   * Validates the environment once. Entry points pass nothing (process.env, exit on error);
   * tests pass overrides and get a thrown ConfigError instead of an exit.
   */
  static forRoot(overrides?: Record<string, string | undefined>): DynamicModule {
    const env = overrides ? loadConfig({ ...process.env, ...overrides }) : loadConfigOrExit();
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: new AppConfig(env) }],
      exports: [AppConfig],
    };
  }
}
