export * from './fake-data';
export * from './fake-strava';
