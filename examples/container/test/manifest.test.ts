import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI_VARIABLES, readCliConfig } from '@batch-decline/consumer';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const documents = parseAllDocuments(read('../k8s/consumer.yaml')).map((document) => {
  expect(document.errors).toEqual([]);
  return document.toJSON() as { kind: string; spec: any; metadata: any };
});
const byKind = (kind: string) => documents.find((document) => document.kind === kind)!;

describe('examples/container', () => {
  const deployment = byKind('Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const env = Object.fromEntries((container.env as { name: string; value: string }[]).map(({ name, value }) => [name, value]));

  it("sets only environment variables the CLI reads, and a configuration the CLI's own parser accepts", () => {
    for (const name of Object.keys(env)) expect(Object.keys(CLI_VARIABLES), `${name} is not a CLI variable`).toContain(name);
    const config = readCliConfig(env);
    expect(config).toMatchObject({ writeMode: 'batched', maxInFlight: 50, shutdownTimeoutMs: 25000 });
  });

  it('gives the graceful stop time to finish before Kubernetes kills the pod', () => {
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(env.SHUTDOWN_TIMEOUT_MS));
  });

  it('runs as non-root without privilege escalation', () => {
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  it("scales on the queue's depth with KEDA's SQS scaler, on the queue the consumer reads", () => {
    const scaled = byKind('ScaledObject');
    expect(scaled.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('aws-sqs-queue');
    expect(trigger.metadata.queueURL).toBe(env.QUEUE_URL);
    expect(trigger.metadata.awsRegion).toBe(env.AWS_REGION);
    expect(Number(trigger.metadata.queueLength)).toBeGreaterThan(0);
  });

  it('builds in stages, keeps production dependencies only, runs as node and lets SIGTERM reach node', () => {
    const dockerfile = read('../Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/deploy --prod/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", .*"dist\/cli\.js"\]$/m);
  });
});
