let hostName: string | undefined;

export function machineName(): string | undefined {
  if (hostName === undefined) {
    try {
      hostName = process.env.HOSTNAME ?? "localhost";
    } catch (error) {
      console.warn("no host name", error);
    }
  }
  return hostName;
}
