// Who reads the reports. The reports module is the read model: it may read every module's tables
// (ledger, bookings, budgets, customers, assessments, opportunities, orders) in SQL, and writes
// only its own (the rollups and the report settings). Other modules never read its tables.
import type { Role } from '../../shared/auth';

/** Who reads the cost and ROI reports (a CSM reads their own accounts' figures elsewhere). */
export const REPORT_READERS: readonly Role[] = ['FINANCE', 'SALES_LEADER', 'ADMIN'];
