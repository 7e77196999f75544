import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What the consumer learns from the queue itself at start. @internal */
export interface QueueSettings {
  readonly visibilityTimeout: number;
  /** From the `RedrivePolicy`, if any. */
  readonly deadLetterQueueUrl: string | undefined;
  readonly fifo: boolean;
}

/**
 * Reads the queue's visibility timeout and redrive policy (one `GetQueueAttributes`), and
 * finds the dead-letter queue's URL from its ARN (`GetQueueUrl` with the owner account).
 * @internal
 */
export async function readQueueSettings(sqs: Pick<SQSClient, 'send'>, queueUrl: string, needDeadLetterQueue: boolean): Promise<QueueSettings> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy', 'FifoQueue'] }),
  );
  let deadLetterQueueUrl: string | undefined;
  if (needDeadLetterQueue && attributes.RedrivePolicy) {
    const arn = (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    const [, , , , account, name] = arn?.split(':') ?? [];
    if (name) {
      const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name, ...(account ? { QueueOwnerAWSAccountId: account } : {}) }));
      deadLetterQueueUrl = result.QueueUrl;
    }
  }
  return {
    visibilityTimeout: Number(attributes.VisibilityTimeout ?? 30),
    deadLetterQueueUrl,
    fifo: attributes.FifoQueue === 'true' || queueUrl.endsWith('.fifo'),
  };
}
