import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchDeclineStack } from '../src/BatchDeclineStack.js';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

function synth(writeMode: 'single' | 'batched'): Template {
  const app = new App();
  const stack = new BatchDeclineStack(app, `Test${writeMode}`, {
    writeMode,
    consumerImage: 'registry.example.com/batch-decline-consumer:test',
    functionTimeout: Duration.seconds(30),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return Template.fromStack(stack);
}

describe.each(['single', 'batched'] as const)('the CDK stack (%s writes), synthesized offline', (writeMode) => {
  let template: Template;
  beforeAll(() => {
    template = synth(writeMode);
  }, 120_000);

  it('redrives the queue to its dead-letter queue after 5 receives', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const source = Object.values(queues).find((queue) => queue.Properties?.RedrivePolicy);
    expect(source?.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/DLQ/), 'Arn'] }, maxReceiveCount: 5 });
  });

  it('maps the queue to the function with ReportBatchItemFailures and a batch size', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('keeps the visibility timeout at least six times the function timeout', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.TABLE_NAME)!;
    const source = Object.values(template.findResources('AWS::SQS::Queue')).find((queue) => queue.Properties?.RedrivePolicy)!;
    expect(source.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties.Timeout);
    expect(fn.Properties.Runtime).toMatch(/^nodejs2\d\.x$/);
  });

  it('scales the Fargate consumer on queue depth', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('UpdateJobApplicationsQueue(?!.*DLQ)'), 'QueueName'] } }],
      AlarmActions: Match.anyValue(),
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
  });

  it('alarms on visible messages in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DLQ'), 'QueueName'] } }],
    });
  });

  it('grants no wildcard action and no wildcard resource on the data plane, and only the write mode\'s one DynamoDB action', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.length).toBeGreaterThan(0);
    const dynamodbActions = new Set<string>();
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      for (const action of actions) {
        expect(action, JSON.stringify(statement)).not.toMatch(/^\*$|:\*$/);
        if (action.startsWith('dynamodb:')) dynamodbActions.add(action);
      }
      if (actions.some((action) => /^(sqs|dynamodb):/.test(action))) {
        for (const resource of [statement.Resource].flat()) expect(resource, JSON.stringify(statement)).not.toBe('*');
      }
    }
    expect([...dynamodbActions]).toEqual([writeMode === 'batched' ? 'dynamodb:PartiQLUpdate' : 'dynamodb:UpdateItem']);
  });
});
