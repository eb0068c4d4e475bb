// GraphQL for customers, a file per type with its queries, inputs and mutations. The import order
// is the order the types are declared in; other modules import the refs from here.
import './tier';
import './channel-partner';
import './financials';
import './customer';
import './tiering-policy';
import './import';

export { TierEnum } from './tier';
export { ChannelPartnerRef } from './channel-partner';
export { CustomerRef } from './customer';
