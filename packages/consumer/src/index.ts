export { createSqsConsumer } from './createSqsConsumer.js';
export { SqsConsumer } from './SqsConsumer.js';
export type { ConsumerState, ConsumerStatus, StopOptions } from './SqsConsumer.js';
export { sqsConsumerDefaults } from './options.js';
export type { SqsConsumerOptions } from './options.js';
export type { ConsumerEvents, ConsumerListener, ConsumerSummary } from './events.js';
export { readCliConfig, ConfigError, CLI_VARIABLES } from './cliConfig.js';
export type { CliConfig } from './cliConfig.js';
