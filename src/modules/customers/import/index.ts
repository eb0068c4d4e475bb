// The CSV import of customers: parse.ts checks the file and each row, write.ts writes a row,
// import-customers.ts is the use case.
export * from './parse';
export { importCustomers } from './import-customers';
