import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type { Construct } from 'constructs';

/** Properties of {@link BatchDeclineStack}. */
export interface BatchDeclineStackProps extends StackProps {
  /** `single` (UpdateItem) or `batched` (PartiQL BatchExecuteStatement); also picks the one IAM action granted. */
  readonly writeMode?: 'single' | 'batched';
  /** The container consumer's image (build it from examples/container/Dockerfile). */
  readonly consumerImage: string;
  /** The Lambda function timeout; the queue's visibility timeout is six times this. */
  readonly functionTimeout?: Duration;
  /** Most concurrent invocations the queue may drive. */
  readonly maximumConcurrency?: number;
}

/**
 * The decline pipeline: applications table, decline queue + dead-letter queue (maxReceiveCount 5),
 * the Lambda consumer with ReportBatchItemFailures, the container consumer on ECS Fargate
 * scaling on queue depth, and an alarm on the dead-letter queue.
 */
export class BatchDeclineStack extends Stack {
  readonly table: dynamodb.Table;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: BatchDeclineStackProps) {
    super(scope, id, props);
    const writeMode = props.writeMode ?? 'single';
    const writeAction = writeMode === 'batched' ? 'dynamodb:PartiQLUpdate' : 'dynamodb:UpdateItem';
    const functionTimeout = props.functionTimeout ?? Duration.seconds(30);

    this.table = new dynamodb.Table(this, 'Applications', {
      partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'UpdateJobApplicationsDLQ', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'UpdateJobApplicationsQueue', {
      // Six times the function timeout (AWS's guidance for SQS event sources), so a message is
      // not received again while Lambda is still retrying it.
      visibilityTimeout: Duration.seconds(functionTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    // The Lambda consumer: the three-line handler in src/handler.ts.
    const fn = new NodejsFunction(this, 'UpdateJobApplicationsFunction', {
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: functionTimeout,
      environment: { TABLE_NAME: this.table.tableName, WRITE_MODE: writeMode, LOG_LEVEL: 'warn' },
      logGroup: new logs.LogGroup(this, 'FunctionLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      bundling: { format: OutputFormat.ESM, minify: true, sourceMap: true, externalModules: ['@aws-sdk/*'], forceDockerBundling: false },
    });
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: props.maximumConcurrency ?? 10,
      }),
    );
    // Only the one write action the write mode needs, on this table only.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [writeAction], resources: [this.table.tableArn] }));

    // The container consumer on ECS Fargate.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const task = new ecs.FargateTaskDefinition(this, 'ConsumerTask', {
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    task.addContainer('consumer', {
      image: ecs.ContainerImage.fromRegistry(props.consumerImage),
      environment: {
        QUEUE_URL: this.queue.queueUrl,
        TABLE_NAME: this.table.tableName,
        AWS_REGION: this.region,
        WRITE_MODE: writeMode,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        SHUTDOWN_TIMEOUT_MS: '25000',
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'consumer', logRetention: logs.RetentionDays.ONE_MONTH }),
      // Longer than SHUTDOWN_TIMEOUT_MS: the graceful stop finishes before SIGKILL.
      stopTimeout: Duration.seconds(40),
      readonlyRootFilesystem: true,
    });
    task.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
    task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [writeAction], resources: [this.table.tableArn] }));
    const service = new ecs.FargateService(this, 'ConsumerService', {
      cluster,
      taskDefinition: task,
      desiredCount: 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    // Scale on queue depth: add tasks as the backlog grows, remove them as it drains.
    service
      .autoScaleTaskCount({ minCapacity: 1, maxCapacity: 10 })
      .scaleOnMetric('QueueDepth', {
        metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        scalingSteps: [
          { upper: 100, change: -1 },
          { lower: 1000, change: +1 },
          { lower: 5000, change: +3 },
        ],
        adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        cooldown: Duration.minutes(1),
      });

    new cloudwatch.Alarm(this, 'DeadLetterQueueAlarm', {
      alarmDescription: 'Decline requests are in the dead-letter queue; read their batchDecline.failureReason attribute, fix, then redrive.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
