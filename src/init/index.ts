// `lockplane init`: project configuration (lockplane.toml, .env.NAME) by
// wizard or flags, and a shadow service for docker-compose projects.
export { runInit, type InitOutcome, type InitRequest } from './run.js';
export { SETUP_FLAGS, type InitFlags } from './flags.js';
export type { WizardIo } from './wizard.js';
export { addShadowToComposeFile, type ComposeResult } from './compose.js';
