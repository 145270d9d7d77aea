import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { INBOUND_MAIL_OUTPUTS, stackNames } from '../config/stack-names';

/**
 * Re-drives received mail the inbound handler failed on. Each message in the
 * handler's on-failure queue is a Lambda destination record whose
 * `requestPayload` is the SES event as SES sent it; the handler is invoked
 * asynchronously with that payload again, and the message deleted once Lambda
 * has accepted the invocation.
 *
 * Repeating a re-drive is safe: the handler claims each SES messageId in its
 * transaction, so a mail that was processed after all has no second effect.
 */

export interface RedriveClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
}

export interface RedriveOptions {
  readonly region: string;
  /** Print what would be re-driven; invoke and delete nothing. */
  readonly dryRun: boolean;
  readonly print: (line: string) => void;
}

export interface RedriveTargets {
  readonly queueUrl: string;
  readonly functionName: string;
}

export interface RedriveSummary {
  /** Re-invoked and deleted; in a dry run, what would have been. */
  readonly redriven: number;
  /** The invocation was refused; the message stays in the queue. */
  readonly failed: number;
  /** Not a destination record holding an SES event; the message stays in the queue. */
  readonly malformed: number;
}

/** Hides a received message from this run's later receives; long enough for any re-invocation. */
const VISIBILITY_SECONDS = 300;
/** Long polling, so a short queue is not taken for an empty one by a sampled receive. */
const WAIT_SECONDS = 2;

/** Only what is reported; the payload is re-sent exactly as received, unknown fields included. */
const destinationRecord = z.object({
  requestContext: z.optional(z.object({ condition: z.optional(z.string()) })),
  requestPayload: z.object({
    Records: z
      .array(
        z.object({
          ses: z.object({
            mail: z.object({ messageId: z.string() }),
            receipt: z.object({ recipients: z.array(z.string()) }),
          }),
        }),
      )
      .check(z.minLength(1)),
  }),
  responsePayload: z.optional(
    z.nullable(z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) })),
  ),
});

/** The failure queue and the handler, from the outputs of the region's stateless stack. */
export async function findRedriveTargets(
  cloudFormation: CloudFormationClient,
  region: string,
): Promise<RedriveTargets> {
  const stackName = stackNames(region).stateless;
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = new Map(
    (Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
  );
  const queueUrl = outputs.get(INBOUND_MAIL_OUTPUTS.failureQueueUrl);
  const functionName = outputs.get(INBOUND_MAIL_OUTPUTS.functionName);
  if (!queueUrl || !functionName) {
    throw new Error(
      `${stackName} has no ${INBOUND_MAIL_OUTPUTS.failureQueueUrl} and ${INBOUND_MAIL_OUTPUTS.functionName} ` +
        `outputs: is sesReceiving true for ${region}, and the stack deployed?`,
    );
  }
  return { queueUrl, functionName };
}

export async function redriveInboundMail(
  clients: RedriveClients,
  options: RedriveOptions,
): Promise<RedriveSummary> {
  const { queueUrl, functionName } = await findRedriveTargets(clients.cloudFormation, options.region);
  const counts = { redriven: 0, failed: 0, malformed: 0 };
  const seen = new Set<string>();
  const kept: Message[] = [];

  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: VISIBILITY_SECONDS,
        WaitTimeSeconds: WAIT_SECONDS,
      }),
    );
    const fresh = Messages.filter((message) => !seen.has(message.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.MessageId ?? '');
      const outcome = await redriveOne(clients, functionName, queueUrl, message, options);
      counts[outcome] += 1;
      if (outcome !== 'redriven' || options.dryRun) kept.push(message);
    }
  }

  // What stays in the queue is visible again at once, for the next run (a dry run hides nothing).
  for (const message of kept) {
    await clients.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  }

  const total = options.dryRun
    ? `${counts.redriven} mail(s) would be re-driven`
    : `${counts.redriven} mail(s) re-driven, ${counts.failed} failed`;
  options.print(`${total}, ${counts.malformed} malformed message(s) left in the queue`);
  return counts;
}

async function redriveOne(
  clients: RedriveClients,
  functionName: string,
  queueUrl: string,
  message: Message,
  options: RedriveOptions,
): Promise<keyof RedriveSummary> {
  const body = parseBody(message.Body);
  const record = body === undefined ? undefined : destinationRecord.safeParse(body);
  if (!record?.success) {
    options.print(`malformed message ${message.MessageId}: not a destination record with an SES event; kept`);
    return 'malformed';
  }
  const { requestContext, requestPayload, responsePayload } = record.data;
  const mails = requestPayload.Records.map(
    ({ ses }) => `${ses.mail.messageId} to ${ses.receipt.recipients.join(', ')}`,
  );
  const error =
    responsePayload?.errorMessage ?? responsePayload?.errorType ?? requestContext?.condition ?? 'unknown';
  const what = `${mails.join('; ')} (failed: ${error})`;

  if (options.dryRun) {
    options.print(`would re-drive ${what}`);
    return 'redriven';
  }
  try {
    // The payload as SES sent it, not the parsed subset above.
    const payload = (body as { requestPayload: unknown }).requestPayload;
    const { StatusCode } = await clients.lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    if (StatusCode !== 202) throw new Error(`Lambda answered ${StatusCode} instead of 202`);
  } catch (invokeError) {
    options.print(`could not re-drive ${what}: ${messageOf(invokeError)}; kept`);
    return 'failed';
  }
  await clients.sqs.send(
    new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
  options.print(`re-drove ${what}`);
  return 'redriven';
}

function parseBody(body: string | undefined): unknown {
  try {
    return body === undefined ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
