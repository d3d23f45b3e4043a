export * from './alert';
export * from './errors';
export * from './ids';
export * from './pain';
export * from './run';
export * from './units';
export * from './user';
