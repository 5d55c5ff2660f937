/** The usual cause of a missing file or folder in Docker is a missing bind mount. */
export function mountHint(fileName: string): string {
  return `Mount a folder holding ${fileName} at /app/data, e.g. docker run -v "$PWD/data:/app/data" ...`;
}
