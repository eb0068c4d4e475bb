// Prints one closing line "tests: N passed, N failed[, N skipped]" that CI reads for the counts.
// `npm test` runs the fault suite first and the main suite last: the fault run saves its counts
// (option `save`), and the main run, when started by `npm test`, adds them to its closing line,
// so that line counts every test of the run.
const fs = require('node:fs');
const path = require('node:path');

const CARRY = path.join(__dirname, '../../node_modules/.cache/service-ledger-fault-counts.json');

class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    this.options = options;
  }

  onRunComplete(_contexts, results) {
    let counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    if (this.options.save) {
      fs.mkdirSync(path.dirname(CARRY), { recursive: true });
      fs.writeFileSync(CARRY, JSON.stringify(counts));
    } else if (process.env.npm_lifecycle_event === 'test' && fs.existsSync(CARRY)) {
      const carried = JSON.parse(fs.readFileSync(CARRY, 'utf8'));
      fs.rmSync(CARRY);
      counts = {
        passed: counts.passed + carried.passed,
        failed: counts.failed + carried.failed,
        skipped: counts.skipped + carried.skipped,
      };
    }
    const label = this.options.label ?? 'tests';
    const line = `${label}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}\n`;
    // After jest's own summary, so it is the closing line of the run.
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
