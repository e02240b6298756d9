/**
 * SQLite access that counts rows written, because rows written is what a SQLite Durable Object
 * bills and what we promise to keep well under one per probe.
 */
export class CountingSql {
  rowsWritten = 0;
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  run(query: string, ...params: SqlStorageValue[]): void {
    const cursor = this.sql.exec(query, ...params);
    cursor.toArray();
    this.rowsWritten += cursor.rowsWritten;
  }

  all<T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlStorageValue[]): T[] {
    return this.sql.exec<T>(query, ...params).toArray();
  }

  one<T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlStorageValue[]): T | undefined {
    return this.all<T>(query, ...params)[0];
  }
}
