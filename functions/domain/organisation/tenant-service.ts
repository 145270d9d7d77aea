import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { NotFoundError } from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import { assertVersion } from '../shared/master-data-service';
import type { WriteEffects } from '../shared/ports';
import type { OrgChartListener } from './org-chart-listener';
import type { CreateTenantInput, Tenant, UpdateTenantInput } from './tenant';
import { DEFAULT_TENANT_SETTINGS } from './tenant-defaults';
import type { User } from './user';

export interface TenantRepository {
  get(tenantId: string): Promise<Tenant | undefined>;
  /** The tenant and its first CRM admin, in one transaction. Fails with ConflictError if the tenant exists. */
  createWithAdmin(tenant: Tenant, admin: User, effects?: WriteEffects): Promise<void>;
  update(previous: Tenant, next: Tenant, effects?: WriteEffects): Promise<void>;
}

export class TenantService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly context: ServiceContext,
    private readonly orgChart: OrgChartListener,
  ) {}

  /**
   * A platform operation (the create-tenant command and the demo seed), not
   * an API route: no tenant's principal may create another tenant.
   */
  async create(input: CreateTenantInput): Promise<{ tenant: Tenant; admin: User }> {
    const now = this.context.clock.now().toISOString();
    const base = { tenantId: input.id, version: 1, createdAt: now, updatedAt: now };
    const tenant: Tenant = {
      ...base,
      id: input.id,
      name: input.name,
      settings: { ...DEFAULT_TENANT_SETTINGS, ...input.settings },
    };
    const admin: User = {
      ...base,
      id: input.admin.id ?? this.context.ids.next(),
      name: input.admin.name,
      email: input.admin.email.toLowerCase(),
      roles: ['crm-admin'],
      status: 'active',
    };
    await this.tenants.createWithAdmin(tenant, admin, {
      // The chart and what viewers' scenes read are kept from the tenant's first write on.
      orgChange: {
        founding: true,
        expectedRevision: 0,
        facts: [{ kind: 'scope', value: tenant.settings.superiorVisibleDataScope }],
      },
      sceneAccess: [{ kind: 'tenant' }, { kind: 'viewer', userId: admin.id, created: true }],
      events: [
        {
          id: this.context.ids.next(),
          type: 'TenantCreated',
          source: 'fieldservice.organisation',
          tenantId: tenant.id,
          occurredAt: now,
          detail: { id: tenant.id, version: 1, tenant, adminUserId: admin.id },
        },
      ],
    });
    return { tenant, admin };
  }

  async get(principal: Principal): Promise<Tenant> {
    authorize(principal, 'tenant:read');
    return this.load(principal.tenantId);
  }

  async update(principal: Principal, input: UpdateTenantInput): Promise<Tenant> {
    authorize(principal, 'tenant:configure');
    const previous = await this.load(principal.tenantId);
    assertVersion('Tenant', previous, input.version);
    const now = this.context.clock.now().toISOString();
    const next: Tenant = {
      ...previous,
      name: input.name ?? previous.name,
      settings: { ...previous.settings, ...input.settings },
      version: previous.version + 1,
      updatedAt: now,
    };
    const scope = await this.orgChart.changed(next.id, [
      { kind: 'scope', value: next.settings.superiorVisibleDataScope },
    ]);
    await this.tenants.update(previous, next, {
      ...scope,
      events: [
        ...(scope.events ?? []),
        {
          id: this.context.ids.next(),
          type: 'TenantUpdated',
          source: 'fieldservice.organisation',
          tenantId: next.id,
          occurredAt: now,
          actorId: principal.userId,
          detail: { id: next.id, version: next.version, tenant: next },
        },
      ],
    });
    return next;
  }

  private async load(tenantId: string): Promise<Tenant> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError('Tenant', tenantId);
    return tenant;
  }
}
