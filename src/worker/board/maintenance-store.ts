import type { MaintenanceWindow } from "../../core/config/maintenance.ts";

/**
 * Maintenance windows added through the admin API: their one stored copy (config windows come with
 * the config). State objects read them from here when they start and are told when they change.
 */
export class MaintenanceStore {
  private readonly kv: SyncKvStorage;

  constructor(kv: SyncKvStorage) {
    this.kv = kv;
  }

  list(): MaintenanceWindow[] {
    return this.kv.get<MaintenanceWindow[]>("maintenance") ?? [];
  }

  /** Adds or replaces a window by id; returns the new set. */
  put(window: MaintenanceWindow): MaintenanceWindow[] {
    return this.save([...this.list().filter((w) => w.id !== window.id), window]);
  }

  delete(id: string): { removed: boolean; windows: MaintenanceWindow[] } {
    const before = this.list();
    const windows = before.filter((w) => w.id !== id);
    return { removed: windows.length !== before.length, windows: this.save(windows) };
  }

  private save(windows: MaintenanceWindow[]): MaintenanceWindow[] {
    this.kv.put("maintenance", windows);
    return windows;
  }
}
