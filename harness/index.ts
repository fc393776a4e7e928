export * from './engine';
export * from './poll';
