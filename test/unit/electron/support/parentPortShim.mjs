// Stands in for Electron's utilityProcess parentPort under plain Node, over the child-process IPC channel.
import { EventEmitter } from 'node:events';

const port = new EventEmitter();
port.postMessage = (m) => process.send(m);
process.on('message', (m) => port.emit('message', { data: m, ports: [] }));
process.parentPort = port;
