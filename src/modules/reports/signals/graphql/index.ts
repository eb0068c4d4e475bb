// GraphQL for the signals for finance and sales leaders, a file per report type.
import './settings';
import './fairness';
import './burn';
import './proposal';
import './pnl';
