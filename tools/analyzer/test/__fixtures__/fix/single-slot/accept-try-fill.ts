let serviceName: string | undefined;

export function defaultServiceName(): string {
  if (serviceName === undefined) {
    try {
      const argv0 = process.argv0;
      serviceName = argv0 ? `unknown_service:${argv0}` : "unknown_service";
    } catch {
      serviceName = "unknown_service";
    }
  }
  return serviceName;
}
