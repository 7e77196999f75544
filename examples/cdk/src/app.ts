import { App } from 'aws-cdk-lib';
import { BatchDeclineStack } from './BatchDeclineStack.js';

const app = new App();
new BatchDeclineStack(app, 'BatchDecline', {
  writeMode: app.node.tryGetContext('writeMode') === 'batched' ? 'batched' : 'single',
  consumerImage: app.node.tryGetContext('consumerImage') ?? 'batch-decline-consumer:latest',
});
