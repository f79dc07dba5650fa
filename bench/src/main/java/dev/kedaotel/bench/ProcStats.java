package dev.kedaotel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads another process' CPU time and resident memory from /proc (Linux only). */
public final class ProcStats {
    /** Linux' USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every mainstream kernel config. */
    static final long CLOCK_TICKS_PER_SECOND = Long.getLong("bench.clkTck", 100);

    private ProcStats() {
    }

    /** User + system CPU time of {@code pid} in nanoseconds. */
    public static long cpuNanos(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may contain spaces: fields are counted after its closing ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** VmRSS of {@code pid} in bytes. */
    public static long rssBytes(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    /**
     * The pid of the process listening on TCP {@code port} (found through /proc/net/tcp* and the socket
     * inodes in /proc/[pid]/fd), or -1.
     */
    public static long pidListeningOn(int port) {
        String hex = String.format(":%04X ", port);
        java.util.Set<String> inodes = new java.util.HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : read(Path.of(table)).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && (f[1] + " ").endsWith(hex) && f[3].equals("0A")) { // 0A = LISTEN
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try (var fds = Files.list(p.resolve("fd"))) {
                    for (Path fd : (Iterable<Path>) fds::iterator) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return Long.parseLong(name);
                            }
                        } catch (IOException ignored) {
                            // fd closed meanwhile
                        }
                    }
                } catch (IOException | SecurityException ignored) {
                    // process gone or not ours
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return -1;
    }

    /** Resolves "--pid N" or else the process listening on {@code port}; fails clearly if neither. */
    static long resolvePid(long givenPid, int port) {
        long pid = givenPid > 0 ? givenPid : pidListeningOn(port);
        if (pid <= 0) {
            throw new IllegalArgumentException("cannot find the server process listening on port " + port
                    + "; pass --pid");
        }
        return pid;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
