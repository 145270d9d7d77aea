import { createProductInput, productSchema, updateProductInput } from '../../../domain/catalog/product';
import { masterDataRoutes } from '../master-data-routes';

export const productRoutes = masterDataRoutes({
  basePath: '/products',
  tag: 'Catalog',
  singular: 'Product',
  plural: 'Products',
  create: createProductInput,
  update: updateProductInput,
  entity: productSchema,
});
