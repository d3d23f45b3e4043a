export { demoFitFile, writeDemoImport } from './demo-files';
export { DemoModule } from './demo.module';
export { DemoPipeline, type PipelineState } from './demo-pipeline.service';
export { DEMO_LINK_TTL_S, DemoSeeder, type DemoSeed, type SeededRunner } from './demo-seeder.service';
export * from './scenarios';
