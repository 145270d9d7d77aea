import type { Product } from '../../../domain/catalog/product';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { MasterDataStore } from '../master-data-store';

export class ProductRepository extends MasterDataStore<Product> {
  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'Product',
        type: 'PRODUCT',
        uniqueValues: (product) => [{ scope: 'PRODUCT_CODE', value: product.code, field: 'code' }],
      },
      clock,
    );
  }
}
