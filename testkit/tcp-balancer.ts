// A TCP load balancer for the cluster's LiveKit nodes, run as a host of its own (testkit/cluster.ts),
// as a team puts one in front of its nodes: each connection (signalling WebSocket, server API) goes
// to the next node in turn, and to the one after when a node refuses it (dead). Media does not pass
// here: ICE goes to the address each node advertises.
//
//   node --import tsx testkit/tcp-balancer.ts <listen host:port> <target host:port>...
import { connect, createServer, type Socket } from 'node:net';

const [listen, ...targets] = process.argv.slice(2);
if (!listen || targets.length === 0) {
  process.stderr.write('usage: tcp-balancer.ts <listen host:port> <target host:port>...\n');
  process.exit(2);
}
const split = (hp: string) => {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
};
let next = 0;

function forward(client: Socket, tries: number) {
  const target = split(targets[next++ % targets.length]!);
  const upstream = connect({ ...target, timeout: 2_000 });
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    upstream.setTimeout(0);
    client.pipe(upstream).pipe(client);
    client.resume();
  });
  const retryOrClose = () => {
    upstream.destroy();
    if (!connected && tries + 1 < targets.length) return forward(client, tries + 1);
    client.destroy();
  };
  upstream.once('error', retryOrClose);
  upstream.once('timeout', retryOrClose);
  upstream.once('close', () => connected && client.destroy());
  client.once('close', () => upstream.destroy());
}

const server = createServer({ pauseOnConnect: true }, (client) => {
  client.on('error', () => client.destroy());
  forward(client, 0);
});
const { host, port } = split(listen);
server.listen(port, host, () => process.stdout.write(`balancing ${listen} over ${targets.join(', ')}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
