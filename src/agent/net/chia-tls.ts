import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChiaService } from "../../core/kinds/fields.ts";
import { ProbeFailure } from "../../probes/failure.ts";

export interface ChiaTlsPaths {
  chiaRoot?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface ChiaTlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** The files Chia's own clients use for a service (chia/util/initial-config.yaml `private_ssl_ca`, `ssl`). */
export function chiaTlsPaths(
  p: ChiaTlsPaths,
  service: ChiaService,
): Required<Omit<ChiaTlsPaths, "chiaRoot">> {
  const ssl = p.chiaRoot ? join(p.chiaRoot, "config", "ssl") : "";
  const from = (file: string | undefined, rel: string) => {
    if (file) return file;
    if (!ssl) throw new ProbeFailure("config", "no chiaRoot and no certificate path set");
    return join(ssl, rel);
  };
  return {
    caFile: from(p.caFile, join("ca", "private_ca.crt")),
    certFile: from(p.certFile, join(service, `private_${service}.crt`)),
    keyFile: from(p.keyFile, join(service, `private_${service}.key`)),
  };
}

/**
 * Reads the private CA and the client certificate and key. A missing or unreadable file is a
 * `config` failure (evaluated as unknown): the node may be fine, the agent's setup is not.
 */
export async function loadChiaTls(p: ChiaTlsPaths, service: ChiaService): Promise<ChiaTlsMaterial> {
  const paths = chiaTlsPaths(p, service);
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      throw new ProbeFailure(
        "config",
        `cannot read the ${what} (${code}); check the agent's file permissions and paths`,
      );
    }
  };
  return {
    ca: await read(paths.caFile, "private CA certificate"),
    cert: await read(paths.certFile, "client certificate"),
    key: await read(paths.keyFile, "client key"),
  };
}
