import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { INBOUND_MAIL_OUTPUTS } from '../../lib/config/stack-names';
import { type RedriveOptions, redriveInboundMail } from '../../lib/ops/mail-redrive';

const cloudFormation = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const clients = {
  cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
  sqs: new SQSClient({ region: 'eu-west-1' }),
  lambda: new LambdaClient({ region: 'eu-west-1' }),
};

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/InboundMailFailures';
const FUNCTION_NAME = 'FieldService-Stateless-eu-InboundMailHandler-abc';

/** The SES event as SES sent it; fields the script does not read must reach the handler unchanged. */
const sesEvent = (messageId: string, recipients: string[]) => ({
  Records: [
    {
      eventSource: 'aws:ses',
      eventVersion: '1.0',
      ses: {
        mail: { messageId, source: 'anna@customer.example', destination: recipients },
        receipt: { recipients, spamVerdict: { status: 'PASS' }, virusVerdict: { status: 'PASS' } },
      },
    },
  ],
});

/** A Lambda on-failure destination record, as the queue holds it. */
const failureMessage = (id: string, messageId: string, errorMessage = 'Table throttled'): Message => ({
  MessageId: id,
  ReceiptHandle: `handle-${id}`,
  Body: JSON.stringify({
    version: '1.0',
    timestamp: '2026-03-02T08:15:00.000Z',
    requestContext: { requestId: 'r-1', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: sesEvent(messageId, ['service@service.example.eu']),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage },
  }),
});

/** The queue hands out these messages once, then reports itself empty. */
function queueHolds(...messages: Message[]): void {
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
}

function run(dryRun = false) {
  const lines: string[] = [];
  const options: RedriveOptions = { region: 'eu-west-1', dryRun, print: (line) => lines.push(line) };
  return redriveInboundMail(clients, options).then((summary) => ({ summary, lines }));
}

const invokedPayloads = () =>
  lambda.commandCalls(InvokeCommand).map((call) => {
    const { FunctionName, InvocationType, Payload } = call.args[0].input;
    const text = typeof Payload === 'string' ? Payload : new TextDecoder().decode(Payload as Uint8Array);
    return { FunctionName, InvocationType, payload: JSON.parse(text) };
  });
const deletedHandles = () =>
  sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle);
const releasedHandles = () =>
  sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.ReceiptHandle);

beforeEach(() => {
  cloudFormation.reset();
  sqs.reset();
  lambda.reset();
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'FieldService-Stateless-eu-west-1',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [
          { OutputKey: INBOUND_MAIL_OUTPUTS.failureQueueUrl, OutputValue: QUEUE_URL },
          { OutputKey: INBOUND_MAIL_OUTPUTS.functionName, OutputValue: FUNCTION_NAME },
        ],
      },
    ],
  });
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

describe('mail re-drive', () => {
  it("finds the failure queue and the handler in the outputs of the region's stateless stack", async () => {
    queueHolds();

    await run();

    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'FieldService-Stateless-eu-west-1',
    });
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.QueueUrl).toBe(QUEUE_URL);
  });

  it('says so when the stack has no inbound mail outputs', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });

    await expect(run()).rejects.toThrow(/InboundMailFailureQueueUrl.*sesReceiving/s);
  });

  it('invokes the handler asynchronously with the original SES event, then deletes the message', async () => {
    // Prepare
    queueHolds(failureMessage('m-1', 'ses-1'), failureMessage('m-2', 'ses-2', 'Parse failed'));

    // Act
    const { summary, lines } = await run();

    // Assess
    expect(invokedPayloads()).toEqual([
      {
        FunctionName: FUNCTION_NAME,
        InvocationType: 'Event',
        payload: sesEvent('ses-1', ['service@service.example.eu']),
      },
      {
        FunctionName: FUNCTION_NAME,
        InvocationType: 'Event',
        payload: sesEvent('ses-2', ['service@service.example.eu']),
      },
    ]);
    expect(deletedHandles()).toEqual(['handle-m-1', 'handle-m-2']);
    expect(summary).toEqual({ redriven: 2, failed: 0, malformed: 0 });
    expect(lines).toEqual([
      're-drove ses-1 to service@service.example.eu (failed: Table throttled)',
      're-drove ses-2 to service@service.example.eu (failed: Parse failed)',
      '2 mail(s) re-driven, 0 failed, 0 malformed message(s) left in the queue',
    ]);
  });

  it('in a dry run, prints what it would re-drive and neither invokes nor deletes', async () => {
    queueHolds(failureMessage('m-1', 'ses-1'));

    const { summary, lines } = await run(true);

    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
    expect(deletedHandles()).toEqual([]);
    // Visible again at once: a real run right after the dry run finds the same mail.
    expect(releasedHandles()).toEqual(['handle-m-1']);
    expect(summary).toEqual({ redriven: 1, failed: 0, malformed: 0 });
    expect(lines).toEqual([
      'would re-drive ses-1 to service@service.example.eu (failed: Table throttled)',
      '1 mail(s) would be re-driven, 0 malformed message(s) left in the queue',
    ]);
  });

  it('keeps a message whose re-invocation fails, and goes on with the next', async () => {
    queueHolds(failureMessage('m-1', 'ses-1'), failureMessage('m-2', 'ses-2'));
    lambda.on(InvokeCommand).rejectsOnce(new Error('Rate exceeded')).resolves({ StatusCode: 202 });

    const { summary, lines } = await run();

    expect(deletedHandles()).toEqual(['handle-m-2']);
    expect(releasedHandles()).toEqual(['handle-m-1']);
    expect(summary).toEqual({ redriven: 1, failed: 1, malformed: 0 });
    expect(lines[0]).toBe(
      'could not re-drive ses-1 to service@service.example.eu (failed: Table throttled): Rate exceeded; kept',
    );
  });

  it('reports malformed messages and keeps them, without stopping', async () => {
    const notJson: Message = { MessageId: 'm-1', ReceiptHandle: 'handle-m-1', Body: 'not json' };
    const noSesEvent: Message = {
      MessageId: 'm-2',
      ReceiptHandle: 'handle-m-2',
      Body: JSON.stringify({ requestPayload: { detail: 'an EventBridge event' } }),
    };
    queueHolds(notJson, noSesEvent, failureMessage('m-3', 'ses-3'));

    const { summary, lines } = await run();

    expect(invokedPayloads().map((call) => call.payload.Records[0].ses.mail.messageId)).toEqual(['ses-3']);
    expect(deletedHandles()).toEqual(['handle-m-3']);
    expect(releasedHandles()).toEqual(['handle-m-1', 'handle-m-2']);
    expect(summary).toEqual({ redriven: 1, failed: 0, malformed: 2 });
    expect(lines.slice(0, 2)).toEqual([
      'malformed message m-1: not a destination record with an SES event; kept',
      'malformed message m-2: not a destination record with an SES event; kept',
    ]);
  });

  it('stops when the queue hands out only messages it has already seen', async () => {
    const message = failureMessage('m-1', 'ses-1');
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [message] });
    lambda.on(InvokeCommand).rejects(new Error('Function not found'));

    const { summary } = await run();

    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(summary).toEqual({ redriven: 0, failed: 1, malformed: 0 });
  });
});
