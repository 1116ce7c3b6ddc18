import * as pulumi from "@pulumi/pulumi";

/**
 * Tells the user about something left behind or worked around, without failing the operation: through
 * the engine's log when the provider has one, else on stderr (`warning: [runtime] ...`), which the
 * engine shows for the plugin.
 */
export function warn(message: string): void {
  void pulumi.log.warn(message);
}
