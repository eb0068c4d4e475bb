// Prints one closing line "tests: N passed, N failed[, N skipped]" that CI reads for the counts.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    // After jest's own summary, so it is the closing line of the run.
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
