/**
 * The children of one tree node whose listing comes in pages (buckets and prefixes can hold millions of
 * objects): the first page loads on expand, later pages only when the user picks "Load more…". Editor-free
 * so the paging rules are unit-tested against a real listing.
 */

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export type PageFetcher<T> = (pageToken: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

export class PagedChildren<T> {
  private loaded: T[] = [];
  private token: string | undefined;
  private started = false;
  private pending: Promise<void> | undefined;
  private controller = new AbortController();
  private generation = 0;

  constructor(private readonly fetchPage: PageFetcher<T>) {}

  /** Everything loaded so far, in listing order. */
  get items(): readonly T[] {
    return this.loaded;
  }

  /** True when the listing has more pages than loaded. */
  get hasMore(): boolean {
    return this.token !== undefined;
  }

  get isLoaded(): boolean {
    return this.started && this.pending === undefined;
  }

  /** Load the first page unless already loaded; concurrent callers share one request. */
  async ensureFirstPage(): Promise<readonly T[]> {
    if (!this.started) {
      this.started = true;
      await this.load(undefined);
    } else if (this.pending) {
      await this.pending;
    }
    return this.loaded;
  }

  /** Append the next page; does nothing when there is none or one is already coming. */
  async loadMore(): Promise<readonly T[]> {
    if (this.pending) {
      await this.pending;
      return this.loaded;
    }
    if (!this.started) return this.ensureFirstPage();
    if (this.token === undefined) return this.loaded;
    await this.load(this.token);
    return this.loaded;
  }

  /** Forget everything (refresh); an in-flight request is aborted and its result dropped. */
  reset(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.generation++;
    this.loaded = [];
    this.token = undefined;
    this.started = false;
    this.pending = undefined;
  }

  private load(pageToken: string | undefined): Promise<void> {
    const generation = this.generation;
    const signal = this.controller.signal;
    const run = (async () => {
      const page = await this.fetchPage(pageToken, signal);
      if (generation !== this.generation) return;
      this.loaded = [...this.loaded, ...page.items];
      this.token = page.nextPageToken || undefined;
    })();
    this.pending = run;
    const settle = (): void => {
      if (this.pending === run) this.pending = undefined;
    };
    return run.then(settle, (err) => {
      settle();
      // A failed first page can be retried by expanding again.
      if (generation === this.generation && pageToken === undefined) this.started = false;
      throw err;
    });
  }
}
