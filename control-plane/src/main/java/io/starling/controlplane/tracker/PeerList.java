package io.starling.controlplane.tracker;

import java.util.Arrays;

/**
 * An unordered set of peers with O(1) add, remove and random access, so that picking 50 peers
 * out of 10,000 costs 50 steps, not 10,000.
 */
final class PeerList {

    private Peer[] items = new Peer[8];
    private int size;

    int size() {
        return size;
    }

    Peer get(int i) {
        return items[i];
    }

    void add(Peer p) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size] = p;
        p.slot = size;
        p.list = this;
        size++;
    }

    void remove(Peer p) {
        if (p.list != this) {
            return;
        }
        int i = p.slot;
        Peer last = items[--size];
        items[i] = last;
        last.slot = i;
        items[size] = null;
        p.slot = -1;
        p.list = null;
    }
}
