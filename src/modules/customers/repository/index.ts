// SQL for customers, their tier history, tiering figures and policies, and channel partners, by
// table family. Only these files touch those tables.
export {
  accountIdsOfCsmQuery,
  countCustomers,
  findAccountIdsOfCsm,
  findCustomerById,
  findCustomersByExternalIds,
  findCustomersByIds,
  insertCustomer,
  joinAccountName,
  listCustomers,
  updateCustomer,
  type Customer,
  type CustomerFields,
  type CustomerFilter,
} from './customers';
export * from './tiers';
export * from './partners';
