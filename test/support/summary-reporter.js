// Prints the plain closing line CI reads ("N passed, N failed, N skipped") and fails a run that
// executed no test at all, so a broken test selection can never pass silently.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    if (passed + failed === 0) {
      process.stderr.write('no test was executed\n');
      process.exitCode = 1;
    }
  }
}
module.exports = SummaryReporter;
