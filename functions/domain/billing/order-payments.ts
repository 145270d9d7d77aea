import type { Actor } from '../access/actor';
import { authorize } from '../access/permissions';
import type { SalesOrder } from '../agreements/sales-order';
import type { Tenant } from '../organisation/tenant';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { paymentPayload } from './payment-payload';

/** How an order is paid: the payment QR's text, by the tenant's payment settings. */
export class OrderPayments {
  constructor(
    private readonly orders: { get(tenantId: string, id: string): Promise<SalesOrder | undefined> },
    private readonly tenants: { get(tenantId: string): Promise<Tenant | undefined> },
  ) {}

  /**
   * The text of the order's payment QR, by the tenant's payment settings: a
   * link of its payment provider's template, or an EPC credit transfer.
   */
  async payload(actor: Actor, id: string): Promise<string> {
    authorize(actor, 'sales-order:read');
    const [order, tenant] = await Promise.all([
      this.orders.get(actor.tenantId, id),
      this.tenants.get(actor.tenantId),
    ]);
    if (!order) throw new NotFoundError('SalesOrder', id);
    const settings = tenant?.settings.payment;
    if (!settings)
      throw new ConflictError('The tenant has no payment settings: set settings.payment with PATCH /tenant', {
        reason: 'no-payment-settings',
      });
    if (order.total.amount < 1)
      throw new ConflictError(`Order ${id} has nothing to pay`, { reason: 'nothing-to-pay' });
    const reference = order.billing ? `${order.billing.workOrderNumber} ${order.id}` : `Order ${order.id}`;
    try {
      return paymentPayload(settings, {
        id: order.id,
        number: order.id,
        totalMinor: order.total.amount,
        currency: order.total.currency,
        reference,
      });
    } catch (error) {
      // The order and the settings are stored already: what does not fit is a conflict, not bad input.
      if (error instanceof ValidationError) throw new ConflictError(error.message, { fields: error.fields });
      throw error;
    }
  }
}
