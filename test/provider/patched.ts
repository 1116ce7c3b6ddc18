import type { Props } from "../../provider/handler";

/** `base` with `patch` applied (an undefined value removes the key): one bad-input case's inputs. */
export function patched(base: Props, patch: Props): Props {
  const out: Props = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}
