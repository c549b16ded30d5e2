// At most `maxParallel` workers drain the queue: the count is raised when a worker starts and
// lowered in the same function once its awaited tasks are done.
// expect: response/concurrency-limit 6-33 elim 25 "counts running tasks"
type Task = () => Promise<unknown>;

export class Queue {
  readonly #queue: { task: Task; done: (value: unknown) => void }[] = [];
  #workers = 0;

  constructor(private readonly maxParallel: number) {}

  run(task: Task): Promise<unknown> {
    return new Promise((done) => {
      this.#queue.push({ task, done });
      void this.#work();
    });
  }

  async #work(): Promise<void> {
    if (this.#workers >= this.maxParallel) return;
    this.#workers++;
    let entry = this.#queue.shift();
    while (entry !== undefined) {
      try {
        entry.done(await entry.task());
      } catch (error) {
        entry.done(error);
      }
      entry = this.#queue.shift();
    }
    this.#workers--;
  }
}
