import type { Account } from '../../../domain/customers/account';
import type { Contact } from '../../../domain/customers/contact';
import type { Device } from '../../../domain/customers/device';
import { accountLookupEntries, contactLookupEntries } from '../../../domain/customers/lookup';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { keys } from '../keys';
import { DynamoCustomerLookupIndex } from '../lookup-index';
import { MasterDataStore } from '../master-data-store';
import type { Transaction } from '../transaction';
import { UniqueValueIndex } from '../unique-values';

export class AccountRepository extends MasterDataStore<Account> {
  private readonly lookup: DynamoCustomerLookupIndex;

  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'Account', type: 'ACCOUNT' }, clock);
    this.lookup = new DynamoCustomerLookupIndex(table);
  }

  /** The lookup index items change with the account, in its transaction. */
  protected override addExtraWrites(tx: Transaction, previous?: Account, next?: Account): void {
    this.lookup.addChanges(
      tx,
      previous && accountLookupEntries(previous),
      next && accountLookupEntries(next),
    );
  }

  /** Whether contacts or devices still point at the account. */
  hasChildren(tenantId: string, accountId: string): Promise<boolean> {
    return this.anyInIndex(keys.childrenOfAccount(tenantId, accountId));
  }
}

export class ContactRepository extends MasterDataStore<Contact> {
  private readonly lookup: DynamoCustomerLookupIndex;

  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'Contact',
        type: 'CONTACT',
        indexKeys: (contact) => ({
          ...keys.accountChildIndexes(contact.tenantId, 'CONTACT', contact),
          ...keys.contactEmailIndex(contact.tenantId, contact),
        }),
      },
      clock,
    );
    this.lookup = new DynamoCustomerLookupIndex(table);
  }

  /** The lookup index items change with the contact, in its transaction. */
  protected override addExtraWrites(tx: Transaction, previous?: Contact, next?: Contact): void {
    this.lookup.addChanges(
      tx,
      previous && contactLookupEntries(previous),
      next && contactLookupEntries(next),
    );
  }

  ofAccount(tenantId: string, accountId: string, page: PageRequest): Promise<Page<Contact>> {
    return this.queryEntities(keys.childrenOfAccount(tenantId, accountId, 'CONTACT'), page);
  }

  byEmail(tenantId: string, email: string, page: PageRequest): Promise<Page<Contact>> {
    return this.queryEntities(keys.contactsByEmail(tenantId, email.toLowerCase()), page);
  }
}

export class DeviceRepository extends MasterDataStore<Device> {
  private readonly uniques: UniqueValueIndex;

  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'Device',
        type: 'DEVICE',
        indexKeys: (device) => keys.accountChildIndexes(device.tenantId, 'DEVICE', device),
        uniqueValues: (device) => [
          { scope: 'DEVICE_SERIAL', value: device.serialNumber, field: 'serialNumber' },
          ...(device.qrCode ? [{ scope: 'DEVICE_QR', value: device.qrCode, field: 'qrCode' }] : []),
        ],
      },
      clock,
    );
    this.uniques = new UniqueValueIndex(table);
  }

  ofAccount(tenantId: string, accountId: string, page: PageRequest): Promise<Page<Device>> {
    return this.queryEntities(keys.childrenOfAccount(tenantId, accountId, 'DEVICE'), page);
  }

  /** By serial number or QR code: the unique-value guard names the device. */
  async findBy(
    tenantId: string,
    by: { serialNumber: string } | { qrCode: string },
  ): Promise<Device | undefined> {
    const ownerId =
      'serialNumber' in by
        ? await this.uniques.owner(tenantId, 'DEVICE_SERIAL', by.serialNumber)
        : await this.uniques.owner(tenantId, 'DEVICE_QR', by.qrCode);
    return ownerId ? this.get(tenantId, ownerId) : undefined;
  }
}
