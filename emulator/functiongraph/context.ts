import type { EmulatorRequest, Timing } from "../service";
import type { ProjectState } from "./model";

/** What every FunctionGraph operation handler receives. */
export interface OperationContext {
  readonly request: EmulatorRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly project: ProjectState;
  readonly projectId: string;
  readonly projectName: string;
  readonly region: string;
  readonly domain: { readonly id: string; readonly name: string };
  /** Emulator clock, epoch ms, read once per request. */
  readonly now: number;
  readonly newId: () => string;
  readonly timing: () => Timing;
}

/** A UUID-shaped id built from the context's id material (deterministic under a seed). */
export function uuidFrom(newId: () => string): string {
  let hex = "";
  while (hex.length < 32)
    hex += newId()
      .replace(/[^0-9a-f]/gi, "")
      .toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
