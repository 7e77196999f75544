import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from './cloudformation.js';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };
const template = readTemplate(fileURLToPath(new URL('../template.yaml', import.meta.url)));
const resources = template.Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const globals = (template.Globals as { Function?: Record<string, any> } | undefined)?.Function ?? {};

describe('examples/sam/template.yaml', () => {
  const [[functionName, fn]] = ofType('AWS::Serverless::Function') as [[string, Resource]];
  const queue = resources.UpdateJobApplicationsQueue!;
  const dlq = resources.UpdateJobApplicationsDLQ!;

  it('declares the table, the queue, its dead-letter queue and one function', () => {
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(1);
    expect(ofType('AWS::SQS::Queue')).toHaveLength(2);
    expect(ofType('AWS::Serverless::Function')).toHaveLength(1);
    expect(functionName).toBe('UpdateJobApplicationsFunction');
  });

  it('redrives to the dead-letter queue after 5 receives, as the seed does', () => {
    expect(queue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { '!GetAtt': 'UpdateJobApplicationsDLQ.Arn' }, maxReceiveCount: 5 });
    expect(dlq.Properties.MessageRetentionPeriod).toBe(1209600);
  });

  it('runs on a current Node.js runtime, built from TypeScript by esbuild, with the three-line handler', () => {
    expect(fn.Properties.Runtime).toMatch(/^nodejs(2[0-9])\.x$/);
    expect(Number(/nodejs(\d+)/.exec(fn.Properties.Runtime)![1])).toBeGreaterThanOrEqual(20);
    expect(fn.Metadata?.BuildMethod).toBe('esbuild');
    expect(fn.Metadata?.BuildProperties.EntryPoints).toEqual(['src/handler.ts']);
    expect(fn.Properties.Handler).toBe('handler.handler');
  });

  it('consumes the queue with ReportBatchItemFailures, a batch size and a maximum concurrency', () => {
    const events = Object.values(fn.Properties.Events as Record<string, { Type: string; Properties: Record<string, any> }>);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.Type).toBe('SQS');
    expect(event!.Properties.Queue).toEqual({ '!GetAtt': 'UpdateJobApplicationsQueue.Arn' });
    expect(event!.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(event!.Properties.BatchSize).toBeGreaterThanOrEqual(1);
    expect(event!.Properties.ScalingConfig.MaximumConcurrency).toBeDefined();
  });

  it('keeps the visibility timeout at least six times the function timeout', () => {
    const timeout = fn.Properties.Timeout ?? globals.Timeout ?? 3;
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('grants least privilege: the poller policy on the queue and one write action on the table ARN', () => {
    const policies = fn.Properties.Policies as Record<string, any>[];
    expect(policies).toContainEqual({ SQSPollerPolicy: { QueueName: { '!GetAtt': 'UpdateJobApplicationsQueue.QueueName' } } });
    const statements = policies.flatMap((policy) => policy.Statement ?? []);
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement.Resource).toEqual({ '!GetAtt': 'ApplicationsTable.Arn' });
    expect(statement.Action).toEqual({ '!If': ['Batched', 'dynamodb:PartiQLUpdate', 'dynamodb:UpdateItem'] });
    for (const action of [statement.Action['!If'][1], statement.Action['!If'][2]]) expect(action).not.toMatch(/\*/);
    expect(JSON.stringify(policies)).not.toMatch(/"\*"|:\*"/);
  });

  it('alarms on visible messages in the dead-letter queue', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { '!GetAtt': 'UpdateJobApplicationsDLQ.QueueName' } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      }),
    );
  });

  it('passes the table name and write mode the handler reads', () => {
    expect(fn.Properties.Environment.Variables).toMatchObject({ TABLE_NAME: { '!Ref': 'ApplicationsTable' }, WRITE_MODE: { '!Ref': 'WriteMode' } });
  });
});
