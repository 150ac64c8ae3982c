package io.starling.controlplane.tracker;

/** What goes into a peer list: the address (4 or 16 bytes), port, and peer id (null for the origin). */
record PeerAddress(byte[] ip, int port, byte[] peerId) {
}
