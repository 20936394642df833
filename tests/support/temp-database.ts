import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const tempRoot = fs.realpathSync(os.tmpdir());

/** A fresh directory under the OS temp dir; `file` refuses any path outside it, so tests never touch real data. */
export function makeTempDir(prefix = "draftgate-test-"): {
  dir: string;
  file: (name: string) => string;
  cleanup: () => void;
} {
  const dir = fs.mkdtempSync(path.join(tempRoot, prefix));
  return {
    dir,
    file(name) {
      const resolved = path.resolve(dir, name);
      if (!resolved.startsWith(dir + path.sep)) throw new Error(`Refusing a test database outside ${dir}: ${resolved}`);
      return resolved;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
