/**
 * Reads one stack configuration value by its full key (`oci:region`, `fnstack:ociEndpoint`); undefined
 * when unset. Inside Pulumi it is backed by the dynamic provider's `configure` request; in plain Node,
 * by whatever the caller supplies.
 */
export type ConfigLookup = (key: string) => string | undefined;
