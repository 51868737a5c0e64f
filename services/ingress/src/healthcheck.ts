/**
 * The container health check: exits 0 when this ingress answers GET /readyz
 * with 2xx, 1 otherwise. A script of its own so the compose file's check is a
 * command without spaces in its arguments (podman 4.3 splits them).
 */
const port = process.env["PORT"] || "5048";
const timeoutMs = 3000;

try {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
