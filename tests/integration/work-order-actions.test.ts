import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { WorkOrderServices } from '../../functions/composition/work-orders';
import { type DomainEvent, domainEventSchema } from '../../functions/domain/shared/events';
import { workOrderForwardedDetail } from '../../functions/domain/work-orders/forward';
import { type Reminder, reminderDuePayload } from '../../functions/domain/work-orders/reminder';
import type { ServiceRecord } from '../../functions/domain/work-orders/service-record';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { createWorkOrderMailer } from '../../functions/handlers/events/work-order-mailer';
import { createReminderHandler } from '../../functions/handlers/schedules/reminder';
import { createLogger } from '../../functions/shared/logger';
import { LocalOutbox } from '../../local/mail/outbox';
import { asEventBridgeEvent } from '../../local/mail/work-order-actions';
import { pollUntil } from '../../local/poll';
import { LocalReminderScheduler } from '../../local/scheduler/local-scheduler';
import { startTestApi, type TestApi } from '../helpers/api';
import {
  buildOrganisation,
  type Organisation,
  PEOPLE,
  type Person,
  principalOf,
} from '../helpers/organisation';

const quiet = createLogger({}, () => undefined);
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

let api: TestApi;
let org: Organisation;
let wo: WorkOrderServices['workOrders'];
let forwardOutbox: LocalOutbox;
let reminderOutbox: LocalOutbox;
let scheduler: LocalReminderScheduler;
let runMailer: ReturnType<typeof createWorkOrderMailer>;
let runReminder: ReturnType<typeof createReminderHandler>;

const tokenOf = (person: Person) => api.token('fso', person, ...PEOPLE[person]);
const admin = () => principalOf('fso', 'admin');
const inOneHour = () => new Date(Date.now() + 3600_000).toISOString();

/** Just enough of a mail reader: unfolded headers, decoded encoded-words. */
function readMail(file: string) {
  const raw = readFileSync(file, 'utf8');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim()
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
  const body = raw
    .slice(raw.indexOf('\r\n\r\n') + 4)
    .replace(/=\r\n/g, '')
    .replace(/(=[0-9A-F]{2})+/g, (hex) => Buffer.from(hex.replace(/=/g, ''), 'hex').toString('utf8'));
  return { raw, header, body };
}

async function outboxEvents(type: string): Promise<DomainEvent[]> {
  const { Items = [] } = await api.table.client.send(
    new QueryCommand({
      TableName: api.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.outboxEvent('fso', 'x').pk },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.event as DomainEvent).filter((event) => event.type === type);
}

beforeAll(async () => {
  forwardOutbox = new LocalOutbox(tempDir('fs-forward-outbox-'));
  reminderOutbox = new LocalOutbox(tempDir('fs-reminder-outbox-'));
  scheduler = new LocalReminderScheduler((due) => runReminder(due), {
    onError: (error) => {
      throw error;
    },
  });
  // As `npm start` does: the API's reminder routes schedule in-process.
  api = await startTestApi({ reminders: scheduler });
  org = await buildOrganisation(api.table);
  wo = api.app.workOrders.workOrders;
  const mailerWith = (mail: LocalOutbox) =>
    compose(basePorts(api.table, { mail, mailFrom: 'service@localhost' })).workOrderMailer;
  runMailer = createWorkOrderMailer(mailerWith(forwardOutbox), quiet);
  runReminder = createReminderHandler(mailerWith(reminderOutbox), quiet);
}, 60_000);

afterAll(async () => {
  await scheduler?.stop();
  await api?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('event fixtures (events/)', () => {
  it('are what the mailer and the reminder function accept', () => {
    const forwarded = JSON.parse(readFileSync('events/eventbridge/work-order-forwarded.json', 'utf8'));
    const due = JSON.parse(readFileSync('events/scheduler/reminder-due.json', 'utf8'));

    expect(domainEventSchema.safeParse(forwarded.detail).success).toBe(true);
    expect(forwarded['detail-type']).toBe(forwarded.detail.type);
    expect(workOrderForwardedDetail.safeParse(forwarded.detail.detail).success).toBe(true);
    expect(reminderDuePayload.safeParse(due).success).toBe(true);
  });

  it('are refused when they are something else', async () => {
    await expect(runMailer({ ...asEventBridgeEvent({} as DomainEvent), detail: {} })).rejects.toThrow(
      /Not a WorkOrderForwarded event/,
    );
    await expect(runReminder({ reminderId: 'x' })).rejects.toThrow(/Not a reminder/);
  });
});

describe('print', () => {
  let workOrder: WorkOrder;
  const print = (id: string, person: Person) =>
    fetch(`${api.url}/work-orders/${id}/print`, { headers: { authorization: `Bearer ${tokenOf(person)}` } });

  beforeAll(async () => {
    workOrder = await wo.create(admin(), {
      title: '<script>alert("pwned")</script> Boiler & pipes',
      description: 'Leaks <b>twice</b> a day',
      ownerId: 'tech1',
      team: [{ userId: 'tech2', access: 'read-only' }],
    });
    workOrder = await wo.handle(
      admin(),
      workOrder.id,
      'in-progress',
      workOrder.version,
      'Customer says: <img src=x onerror=alert(1)>',
    );
  });

  it('is an HTML document with every value escaped', async () => {
    const response = await print(workOrder.id, 'tech1');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>twice');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Boiler &amp; pipes');
    expect(html).toContain('Leaks &lt;b&gt;twice&lt;/b&gt; a day');
    expect(html).toContain(workOrder.number);
  });

  it('shows the fields, the team and the whole timeline in order', async () => {
    const html = await (await print(workOrder.id, 'tech1')).text();
    const timeline = html.slice(html.indexOf('<h2>Timeline</h2>'));

    expect(html).toContain('<th>Status</th><td>In progress</td>');
    expect(html).toContain('<th>Person in charge</th><td>tech1</td>');
    expect(html).toContain('<td>tech2</td><td>Read only</td>');
    const entries = [
      'Created',
      'Assigned to tech1',
      'Status changed from new to in-progress: Customer says: &lt;img src=x onerror=alert(1)&gt;',
    ];
    const positions = entries.map((entry) => timeline.indexOf(entry));
    for (const [i, position] of positions.entries()) expect(position, entries[i]).toBeGreaterThan(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('is a 404 for someone who may not read the work order', async () => {
    const response = await print(workOrder.id, 'outsider');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('forward', () => {
  it('records who forwarded to whom and emits WorkOrderForwarded in the same write', async () => {
    // tech2 is a read-only team member of wo1: reading is enough to forward.
    const response = await api.request<ServiceRecord>(
      'POST',
      `/work-orders/${org.workOrders.wo1.id}/forward`,
      {
        token: tokenOf('tech2'),
        body: {
          to: ['Anna@Customer.example', 'anna@customer.example', 'bob@customer.example'],
          note: 'Bitte prüfen',
        },
      },
    );

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      kind: 'forwarded',
      actorId: 'tech2',
      text: 'Bitte prüfen',
      data: { to: ['anna@customer.example', 'bob@customer.example'] },
    });
    const records = await api.request<{ items: ServiceRecord[] }>(
      'GET',
      `/work-orders/${org.workOrders.wo1.id}/records?limit=100`,
      { token: tokenOf('tech2') },
    );
    expect(records.body.items.filter((r) => r.kind === 'forwarded').map((r) => r.id)).toContain(
      response.body.id,
    );
    const events = await outboxEvents('WorkOrderForwarded');
    expect(events.find((e) => e.detail.recordId === response.body.id)).toMatchObject({
      source: 'fieldservice.work-orders',
      tenantId: 'fso',
      actorId: 'tech2',
      detail: { id: org.workOrders.wo1.id, number: org.workOrders.wo1.number, to: response.body.data?.to },
    });
  });

  it('is mailed once by the mailer, however often the event is delivered', async () => {
    const forwarded = await api.request<ServiceRecord>(
      'POST',
      `/work-orders/${org.workOrders.wo2.id}/forward`,
      {
        token: tokenOf('lead'),
        body: { to: ['dispatch@partner.example'], note: 'Urgent, see below' },
      },
    );
    const event = (await outboxEvents('WorkOrderForwarded')).find(
      (e) => e.detail.recordId === forwarded.body.id,
    );
    if (!event) throw new Error('no WorkOrderForwarded event');
    const before = forwardOutbox.files().length;

    const first = await runMailer(asEventBridgeEvent(event));
    const again = await runMailer(asEventBridgeEvent(event));

    expect(first).toMatchObject({ outcome: 'sent', messageId: expect.stringMatching(/^<.+@localhost>$/) });
    expect(again).toEqual({ outcome: 'already-sent' });
    const files = await pollUntil(() => forwardOutbox.files().length > before && forwardOutbox.files(), {
      what: 'the forwarded mail',
    });
    expect(files).toHaveLength(before + 1);
    const mail = readMail(files.at(-1) as string);
    expect(mail.header('Subject')).toBe(`[${org.workOrders.wo2.number}] No heating at all`);
    expect(mail.header('To')).toBe('dispatch@partner.example');
    expect(mail.header('From')).toBe('service@localhost');
    expect(mail.header('Auto-Submitted')).toBe('auto-generated');
    expect(mail.header('X-Loop')).toBe('service@localhost');
    expect(mail.header('Message-ID')).toBe(first.outcome === 'sent' ? first.messageId : '');
    expect(mail.body).toContain('lead forwarded work order');
    expect(mail.body).toContain('Urgent, see below');
    expect(mail.body).toContain('Priority:   Urgent');
    expect(mail.body).toContain('<h3>Latest entries</h3>');
  });

  it('refuses bad recipient lists with 400 naming the field', async () => {
    const forward = (body: unknown) =>
      api.request('POST', `/work-orders/${org.workOrders.wo1.id}/forward`, { token: tokenOf('tech1'), body });

    for (const body of [
      { to: [] },
      { to: ['not-an-address'] },
      { to: Array.from({ length: 11 }, (_, i) => `p${i}@x.example`) },
    ]) {
      const response = await forward(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.body)).toContain('body.to');
    }
  });

  it('is a 404 for someone who may not read the work order', async () => {
    const response = await api.request('POST', `/work-orders/${org.workOrders.wo1.id}/forward`, {
      token: tokenOf('outsider'),
      body: { to: ['x@y.example'] },
    });

    expect(response.status).toBe(404);
  });
});

describe('reminders', () => {
  const wo1 = () => org.workOrders.wo1;
  const setReminder = (person: Person, body: unknown, headers?: Record<string, string>) =>
    api.request<Reminder>('POST', `/work-orders/${wo1().id}/reminders`, {
      token: tokenOf(person),
      body,
      headers,
    });

  it('are set for a user of the tenant at a future time, scheduled, and listed', async () => {
    const at = inOneHour();
    const response = await setReminder('tech1', { userId: 'tech2', at, note: 'Call the customer back' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      workOrderId: wo1().id,
      userId: 'tech2',
      status: 'scheduled',
      createdBy: 'tech1',
      note: 'Call the customer back',
    });
    expect(new Date(response.body.at).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
    expect(scheduler.list().map((s) => s.name)).toContain(`reminder-${response.body.id}`);
    const listed = await api.request<{ items: Reminder[] }>('GET', `/work-orders/${wo1().id}/reminders`, {
      token: tokenOf('tech2'),
    });
    expect(listed.body.items.map((r) => r.id)).toContain(response.body.id);
  });

  it('refuses a time in the past, more than a year ahead, and an unknown user', async () => {
    const cases: [unknown, string][] = [
      [{ userId: 'tech2', at: new Date(Date.now() - 60_000).toISOString() }, 'body.at'],
      [{ userId: 'tech2', at: new Date(Date.now() + 400 * 24 * 3600_000).toISOString() }, 'body.at'],
      [{ userId: 'tech2', at: 'tomorrow' }, 'body.at'],
      [{ userId: 'nobody', at: inOneHour() }, 'body.userId'],
    ];
    const scheduled = scheduler.list().length;

    for (const [body, field] of cases) {
      const response = await setReminder('tech1', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.body), JSON.stringify(body)).toContain(field);
    }
    expect(scheduler.list()).toHaveLength(scheduled);
  });

  it('honour Idempotency-Key: a repeated request answers the same reminder and schedules once', async () => {
    const body = { userId: 'tech1', at: inOneHour() };
    const first = await setReminder('tech1', body, { 'idempotency-key': 'reminder-once-1' });
    const again = await setReminder('tech1', body, { 'idempotency-key': 'reminder-once-1' });

    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(scheduler.list().filter((s) => s.name === `reminder-${first.body.id}`)).toHaveLength(1);
  });

  it('are 404 on a work order the caller may not read', async () => {
    const response = await setReminder('outsider', { userId: 'outsider', at: inOneHour() });

    expect(response.status).toBe(404);
  });

  it('are cancelled by whoever set them, which removes the schedule; only once', async () => {
    const set = await setReminder('tech1', { userId: 'tech2', at: inOneHour() });
    const cancel = (person: Person) =>
      api.request<Reminder>('DELETE', `/work-orders/${wo1().id}/reminders/${set.body.id}`, {
        token: tokenOf(person),
      });

    // The agent may read wo1 (shared with dispatch) but neither set the reminder, nor is reminded, nor may handle.
    expect((await cancel('agent')).status).toBe(403);
    const cancelled = await cancel('tech1');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'tech1', version: 2 });
    expect(scheduler.list().map((s) => s.name)).not.toContain(`reminder-${set.body.id}`);
    expect((await cancel('tech1')).status).toBe(409);
    const unknown = await api.request('DELETE', `/work-orders/${wo1().id}/reminders/01UNKNOWN`, {
      token: tokenOf('tech1'),
    });
    expect(unknown.status).toBe(404);
  });

  it('fire when the clock reaches them: marked fired, recorded, one mail to the user', async () => {
    const set = await setReminder('lead', {
      userId: 'tech2',
      at: inOneHour(),
      note: 'Spare part arrives today',
    });
    const name = `reminder-${set.body.id}`;
    const mailsBefore = reminderOutbox.files().length;

    const fired = await scheduler.advanceTo(new Date(Date.now() + 2 * 3600_000));

    expect(fired).toContain(name);
    expect(scheduler.list().map((s) => s.name)).not.toContain(name);
    const reminder = await pollUntil(
      async () => {
        const listed = await api.request<{ items: Reminder[] }>(
          'GET',
          `/work-orders/${wo1().id}/reminders?limit=100`,
          {
            token: tokenOf('lead'),
          },
        );
        return listed.body.items.find((r) => r.id === set.body.id && r.status === 'fired');
      },
      { what: 'the reminder to be marked fired' },
    );
    expect(reminder.firedAt).toBeDefined();
    const records = await wo.records(admin(), wo1().id, { limit: 100 });
    expect(
      records.items
        .filter((r) => r.kind === 'reminder-set' && r.data?.reminderId === set.body.id)
        .map((r) => r.data?.status),
    ).toEqual(['scheduled', 'fired']);
    // Every reminder due by then fired (the earlier tests left some), each with one mail.
    const mailsOf = () =>
      reminderOutbox
        .files()
        .slice(mailsBefore)
        .map(readMail)
        .filter((mail) => mail.body.includes('Spare part arrives today'));
    const [mail] = await pollUntil(() => mailsOf().length > 0 && mailsOf(), { what: 'the reminder mail' });
    expect(reminderOutbox.files()).toHaveLength(mailsBefore + fired.length);
    expect(mailsOf()).toHaveLength(1);
    expect(mail?.header('To')).toBe('tech2@fso.example');
    expect(mail?.header('Subject')).toBe(`Reminder: [${wo1().number}] Boiler leaking`);
    expect(mail?.header('Auto-Submitted')).toBe('auto-generated');

    // Scheduler (or Lambda) delivering the same reminder again changes nothing and sends nothing.
    const again = await runReminder({ tenantId: 'fso', workOrderId: wo1().id, reminderId: set.body.id });
    expect(again).toEqual({ outcome: 'already-sent' });
    expect(reminderOutbox.files()).toHaveLength(mailsBefore + fired.length);
  });
});

describe('mail for a title with a line break', () => {
  let multiline: WorkOrder;

  beforeAll(async () => {
    // Stored before titles were single-line (or written by an older client): the mail must still go out.
    multiline = await wo.create(admin(), { title: 'Boiler\r\nBcc: everyone@evil.example', ownerId: 'tech1' });
  });

  it('is forwarded with the title on one line of the subject, and no injected header', async () => {
    const forwarded = await api.request<ServiceRecord>('POST', `/work-orders/${multiline.id}/forward`, {
      token: tokenOf('tech1'),
      body: { to: ['dispatch@partner.example'] },
    });
    const event = (await outboxEvents('WorkOrderForwarded')).find(
      (e) => e.detail.recordId === forwarded.body.id,
    );
    if (!event) throw new Error('no WorkOrderForwarded event');
    const before = forwardOutbox.files().length;

    const result = await runMailer(asEventBridgeEvent(event));

    expect(forwarded.status).toBe(202);
    expect(result).toMatchObject({ outcome: 'sent' });
    expect(forwardOutbox.files()).toHaveLength(before + 1);
    const mail = readMail(forwardOutbox.files().at(-1) as string);
    expect(mail.header('Subject')).toBe(`[${multiline.number}] Boiler Bcc: everyone@evil.example`);
    expect(mail.header('Bcc')).toBeUndefined();
    expect(mail.header('To')).toBe('dispatch@partner.example');
  });

  it('is sent when a reminder on it fires', async () => {
    const set = await api.request<Reminder>('POST', `/work-orders/${multiline.id}/reminders`, {
      token: tokenOf('tech1'),
      body: { userId: 'tech1', at: inOneHour(), note: 'Multiline title reminder' },
    });
    const mailsBefore = reminderOutbox.files().length;

    await scheduler.advanceTo(new Date(Date.now() + 2 * 3600_000));

    const mails = reminderOutbox
      .files()
      .slice(mailsBefore)
      .map(readMail)
      .filter((mail) => mail.body.includes('Multiline title reminder'));
    expect(set.status).toBe(201);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.header('Subject')).toBe(
      `Reminder: [${multiline.number}] Boiler Bcc: everyone@evil.example`,
    );
  });
});

describe('mail that cannot be sent', () => {
  const failingMail = {
    send: async () => {
      throw new Error('SES: Daily message quota exceeded');
    },
  };

  it('says so on the timeline and throws, so the function retries and dead-letters it', async () => {
    const failing = createWorkOrderMailer(
      compose(basePorts(api.table, { mail: failingMail, mailFrom: 'service@localhost' })).workOrderMailer,
      quiet,
    );
    const forwarded = await api.request<ServiceRecord>(
      'POST',
      `/work-orders/${org.workOrders.wo2.id}/forward`,
      { token: tokenOf('lead'), body: { to: ['someone@partner.example'] } },
    );
    const event = (await outboxEvents('WorkOrderForwarded')).find(
      (e) => e.detail.recordId === forwarded.body.id,
    );
    if (!event) throw new Error('no WorkOrderForwarded event');

    await expect(failing(asEventBridgeEvent(event))).rejects.toThrow(/quota exceeded/);

    const records = await wo.records(admin(), org.workOrders.wo2.id, { limit: 100 });
    const failed = records.items.filter((r) => r.kind === 'mail-failed');
    expect(failed.map((r) => r.data)).toContainEqual(
      expect.objectContaining({
        mail: 'forwarded',
        recordId: forwarded.body.id,
        to: ['someone@partner.example'],
      }),
    );
    expect(failed.at(-1)?.text).toContain('quota exceeded');
    // The claim was released: a later attempt (Lambda's retry) sends it.
    expect(await runMailer(asEventBridgeEvent(event))).toMatchObject({ outcome: 'sent' });
  });

  it('of a reminder says so on the timeline too', async () => {
    const failingReminder = createReminderHandler(
      compose(basePorts(api.table, { mail: failingMail, mailFrom: 'service@localhost' })).workOrderMailer,
      quiet,
    );
    const set = await api.request<Reminder>('POST', `/work-orders/${org.workOrders.wo2.id}/reminders`, {
      token: tokenOf('lead'),
      body: { userId: 'tech2', at: inOneHour() },
    });
    await scheduler.cancel(set.body);

    await expect(
      failingReminder({ tenantId: 'fso', workOrderId: org.workOrders.wo2.id, reminderId: set.body.id }),
    ).rejects.toThrow(/quota exceeded/);

    const records = await wo.records(admin(), org.workOrders.wo2.id, { limit: 100 });
    expect(records.items.filter((r) => r.kind === 'mail-failed').map((r) => r.data)).toContainEqual(
      expect.objectContaining({ mail: 'reminder', reminderId: set.body.id, to: ['tech2@fso.example'] }),
    );
  });
});
