/** OCI resources: Functions (Application, Function, InvokeFunction) and Container Instances. */
export {};
