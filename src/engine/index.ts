/** Training-engine setup: backend selection and seeding. */
export { init, current, BACKEND_ORDER } from './select';
export type { BackendChoice, EngineInfo, InitOptions } from './select';
export { seed, currentSeed, rng, gaussian } from './seed';
export type { Rng } from './seed';
