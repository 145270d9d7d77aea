import {
  DescribeActiveReceiptRuleSetCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
} from '@aws-sdk/client-ses';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../lib/constructs/inbound-mail-activation/handler';

const ses = mockClient(SESClient);
const OURS = 'FieldService-Inbound-eu-west-1';

const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: 'https://example.invalid/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/FieldService-Stateless-eu-west-1/1',
  RequestId: 'request-1',
  LogicalResourceId: 'InboundMailActivation',
  ResourceType: 'Custom::ActiveReceiptRuleSet',
};
const properties = (ruleSetName: string) => ({ ServiceToken: common.ServiceToken, RuleSetName: ruleSetName });

const createEvent = (): CloudFormationCustomResourceEvent => ({
  ...common,
  RequestType: 'Create',
  ResourceProperties: properties(OURS),
});
const updateEvent = (): CloudFormationCustomResourceEvent => ({
  ...common,
  RequestType: 'Update',
  PhysicalResourceId: OURS,
  ResourceProperties: properties(OURS),
  OldResourceProperties: properties(OURS),
});
const deleteEvent = (): CloudFormationCustomResourceEvent => ({
  ...common,
  RequestType: 'Delete',
  PhysicalResourceId: OURS,
  ResourceProperties: properties(OURS),
});

const activeIs = (name: string | undefined) =>
  ses.on(DescribeActiveReceiptRuleSetCommand).resolves(name ? { Metadata: { Name: name } } : {});
const setActiveCalls = () =>
  ses.commandCalls(SetActiveReceiptRuleSetCommand).map((call) => call.args[0].input);

beforeAll(() => {
  // The handler logs each decision as one JSON line; the tests read the calls instead.
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => vi.restoreAllMocks());
beforeEach(() => {
  ses.reset();
  ses.on(SetActiveReceiptRuleSetCommand).resolves({});
});

describe('the receipt rule set activation', () => {
  it('on create, activates our rule set and reports the one it replaced', async () => {
    // Prepare
    activeIs('LegacyRules');

    // Act
    const result = await handler(createEvent());

    // Assess
    expect(setActiveCalls()).toEqual([{ RuleSetName: OURS }]);
    expect(result).toEqual({ PhysicalResourceId: OURS, Data: { PreviouslyActive: 'LegacyRules' } });
  });

  it('on create, activates our rule set when none was active', async () => {
    activeIs(undefined);

    const result = await handler(createEvent());

    expect(setActiveCalls()).toEqual([{ RuleSetName: OURS }]);
    expect(result.Data).toEqual({ PreviouslyActive: '' });
  });

  it('on update, activates our rule set again if someone switched to another', async () => {
    activeIs('SomeoneElses');

    await handler(updateEvent());

    expect(setActiveCalls()).toEqual([{ RuleSetName: OURS }]);
  });

  it('on update, changes nothing while ours is active', async () => {
    activeIs(OURS);

    const result = await handler(updateEvent());

    expect(setActiveCalls()).toEqual([]);
    expect(result.PhysicalResourceId).toBe(OURS);
  });

  it('on delete, deactivates our rule set while it is the active one', async () => {
    activeIs(OURS);

    const result = await handler(deleteEvent());

    // No name: SES then has no active rule set in the region.
    expect(setActiveCalls()).toEqual([{}]);
    expect(result).toEqual({ PhysicalResourceId: OURS });
  });

  it('on delete, leaves another active rule set alone', async () => {
    activeIs('SomeoneElses');

    await handler(deleteEvent());

    expect(setActiveCalls()).toEqual([]);
  });

  it('on delete, does nothing when no rule set is active', async () => {
    activeIs(undefined);

    await handler(deleteEvent());

    expect(setActiveCalls()).toEqual([]);
  });

  it('fails the deployment when SES refuses, instead of reporting success', async () => {
    activeIs('LegacyRules');
    ses.on(SetActiveReceiptRuleSetCommand).rejects(new Error('Rule set does not exist'));

    await expect(handler(createEvent())).rejects.toThrow('Rule set does not exist');
  });

  it('refuses an event without a rule set name', async () => {
    const event = { ...createEvent(), ResourceProperties: { ServiceToken: common.ServiceToken } };

    await expect(handler(event)).rejects.toThrow('RuleSetName is missing');
    expect(setActiveCalls()).toEqual([]);
  });
});
