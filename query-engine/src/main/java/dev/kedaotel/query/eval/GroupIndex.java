package dev.kedaotel.query.eval;

import dev.kedaotel.model.Labels;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assigns the elements of a vector to aggregation groups ({@code by}/{@code without}) without building a
 * key object per element: a 64-bit hash of the grouping label values indexes an open-addressing table, and
 * a hash hit is confirmed by comparing label values with the group's first element. Allocates only per
 * new group. Single-threaded.
 */
final class GroupIndex {
    private final Vec in;
    private final String[] byLabels;
    private final Set<String> withoutLabels;
    private long[] hashes = new long[64];
    private int[] groupOfSlot = new int[64];
    private int[] representative = new int[16];
    private int groups;

    GroupIndex(Vec in, List<String> grouping, boolean without) {
        this.in = in;
        if (without) {
            this.byLabels = null;
            this.withoutLabels = new HashSet<>(grouping);
            this.withoutLabels.add(Labels.METRIC_NAME);
        } else {
            this.byLabels = grouping.stream().distinct().sorted().toArray(String[]::new);
            this.withoutLabels = null;
        }
        Arrays.fill(groupOfSlot, -1);
    }

    int groupCount() {
        return groups;
    }

    /** The element that opened group {@code g}. */
    int representative(int g) {
        return representative[g];
    }

    /** The group of element {@code i}, creating it when new. */
    int groupOf(int i) {
        long h = hash(i);
        int mask = hashes.length - 1;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (groupOfSlot[slot] >= 0) {
            int g = groupOfSlot[slot];
            if (hashes[slot] == h && sameGroup(representative[g], i)) {
                return g;
            }
            slot = (slot + 1) & mask;
        }
        if (groups == representative.length) {
            representative = Arrays.copyOf(representative, groups * 2);
        }
        representative[groups] = i;
        groupOfSlot[slot] = groups;
        hashes[slot] = h;
        groups++;
        if (groups * 2 > hashes.length) {
            rehash();
        }
        return groups - 1;
    }

    /** The output labels of a group: the {@code by} labels, or everything but the {@code without} ones. */
    Labels groupLabels(int g) {
        int i = representative[g];
        if (byLabels != null) {
            String[] nv = new String[byLabels.length * 2];
            for (int k = 0; k < byLabels.length; k++) {
                nv[2 * k] = byLabels[k];
                nv[2 * k + 1] = in.labelValue(i, byLabels[k]);
            }
            return Labels.of(nv);
        }
        Labels l = in.rawLabels(i);
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
        for (int k = 0; k < l.size(); k++) {
            if (!withoutLabels.contains(l.name(k))) {
                m.put(l.name(k), l.value(k));
            }
        }
        return Labels.fromMap(m);
    }

    private long hash(int i) {
        long h = 0xcbf29ce484222325L;
        if (byLabels != null) {
            for (String name : byLabels) {
                h = h * 0x100000001b3L + in.labelValue(i, name).hashCode();
            }
            return h;
        }
        Labels l = in.rawLabels(i);
        for (int k = 0; k < l.size(); k++) {
            String name = l.name(k);
            if (!withoutLabels.contains(name)) {
                h = (h * 0x100000001b3L + name.hashCode()) * 0x100000001b3L + l.value(k).hashCode();
            }
        }
        return h;
    }

    private boolean sameGroup(int a, int b) {
        if (byLabels != null) {
            for (String name : byLabels) {
                if (!in.labelValue(a, name).equals(in.labelValue(b, name))) {
                    return false;
                }
            }
            return true;
        }
        Labels la = in.rawLabels(a);
        Labels lb = in.rawLabels(b);
        int ia = 0;
        int ib = 0;
        while (true) {
            while (ia < la.size() && withoutLabels.contains(la.name(ia))) {
                ia++;
            }
            while (ib < lb.size() && withoutLabels.contains(lb.name(ib))) {
                ib++;
            }
            if (ia == la.size() || ib == lb.size()) {
                return ia == la.size() && ib == lb.size();
            }
            if (!la.name(ia).equals(lb.name(ib)) || !la.value(ia).equals(lb.value(ib))) {
                return false;
            }
            ia++;
            ib++;
        }
    }

    private void rehash() {
        long[] oldHashes = hashes;
        int[] oldGroups = groupOfSlot;
        hashes = new long[oldHashes.length * 2];
        groupOfSlot = new int[oldHashes.length * 2];
        Arrays.fill(groupOfSlot, -1);
        int mask = hashes.length - 1;
        for (int s = 0; s < oldHashes.length; s++) {
            if (oldGroups[s] >= 0) {
                long h = oldHashes[s];
                int slot = (int) (h ^ (h >>> 32)) & mask;
                while (groupOfSlot[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                groupOfSlot[slot] = oldGroups[s];
                hashes[slot] = h;
            }
        }
    }
}
