// Runs a test again while it has errors: the failure is state the loop reads, not a thrown error.
interface TestEntry {
  errors: unknown[];
}
declare function dispatch(event: { name: string; test: TestEntry }): Promise<void>;
declare function runTest(test: TestEntry): Promise<void>;

export function makeRerun(retryTimes: number, waitBeforeRetry: number) {
  const rerunTest = async (test: TestEntry) => {
    let numRetriesAvailable = retryTimes;

    while (numRetriesAvailable > 0 && test.errors.length > 0) {
      // Clear errors so retries occur
      await dispatch({ name: "test_retry", test });

      if (waitBeforeRetry > 0) {
        await new Promise((resolve) => setTimeout(resolve, waitBeforeRetry));
      }

      await runTest(test);
      numRetriesAvailable--;
    }
  };
  return rerunTest;
}
