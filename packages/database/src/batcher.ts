/**
 * Group commit for one statement the engine runs for many steps at once: while a batch is in
 * flight, the calls that arrive wait and then go together, as one statement for all of them. A
 * call alone (light load) goes out at once; under load, batches grow with the load, and each
 * statement's fixed cost (a round trip, parsing, planning, executor start, the commit and its WAL
 * flush) is paid once per batch instead of once per step.
 */
export type BatcherOptions<Item, Result> = {
  /** Runs a batch; resolves one result per item, in the items' order. */
  run: (items: Item[]) => Promise<Result[]>;
  /** Items with the same key never share a batch (the next batch takes the later one). */
  keyOf: (item: Item) => string;
  /** Most items in one batch. */
  maxBatch: number;
  /** Batches in flight at once. */
  maxInFlight: number;
};

type Pending<Item, Result> = {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
};

/**
 * Returns the batched call. A batch that fails is run again one item at a time, so that one bad
 * item fails alone and every other item gets its own result.
 */
export function createBatcher<Item, Result>(
  options: BatcherOptions<Item, Result>,
): (item: Item) => Promise<Result> {
  let pending: Pending<Item, Result>[] = [];
  let inFlight = 0;

  const runAlone = async (entry: Pending<Item, Result>) => {
    try {
      const [result] = await options.run([entry.item]);
      entry.resolve(result as Result);
    } catch (error) {
      entry.reject(error);
    }
  };

  const send = async (batch: Pending<Item, Result>[]) => {
    try {
      const results = await options.run(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => entry.resolve(results[index] as Result));
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else for (const entry of batch) await runAlone(entry);
    }
  };

  const pump = () => {
    while (inFlight < options.maxInFlight && pending.length > 0) {
      const batch: Pending<Item, Result>[] = [];
      const later: Pending<Item, Result>[] = [];
      const keys = new Set<string>();
      for (const entry of pending) {
        const key = options.keyOf(entry.item);
        if (batch.length < options.maxBatch && !keys.has(key)) {
          keys.add(key);
          batch.push(entry);
        } else {
          later.push(entry);
        }
      }
      pending = later;
      inFlight += 1;
      void send(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      pump();
    });
}
