// Served by our custom server (server/main.ts) through Next's request handler, so no
// `output: 'standalone'`. Nothing remote is configured (no image hosts, no web fonts): the
// classroom VM is offline.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
