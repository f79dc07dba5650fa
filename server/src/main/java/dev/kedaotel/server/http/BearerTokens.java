package dev.kedaotel.server.http;

import dev.kedaotel.model.TimeSource;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bearer tokens the HTTP API accepts, read from a file (one token per non-empty line, trimmed) and
 * re-read when the file changes, so a token is rotated without a restart: list old and new, move the
 * clients over, remove the old one. A Kubernetes Secret mounted as a volume is updated in place this way.
 *
 * <p>Comparison is constant-time: only SHA-256 digests of the tokens are kept, the presented token is
 * hashed and compared with every one of them by {@link MessageDigest#isEqual} (which does not stop at
 * the first differing byte), and the loop never stops early — so response timing tells a caller nothing
 * about how much of a guess was right, nor which line matched. Keeping digests also means the tokens
 * themselves are not in the heap after loading.
 *
 * <p>Reloading: {@link #accepts} looks at the file at most once per {@link #CHECK_INTERVAL_MS} of the
 * injected {@link TimeSource} (one caller does the check; the others go on with the current tokens). A
 * check is a {@code stat}: last-modified time and size; only when either changed is the file read, and
 * only when its content digest changed are the tokens replaced. A file that becomes unreadable, missing or
 * empty keeps the last good tokens with a warning (once per distinct problem): a broken rotation must
 * never open the API, nor lock every client out. The check runs on the calling thread (Jetty's, for the
 * HTTP gate); a stat per second and reading a file of a few tokens when it changed cost microseconds, and
 * tests drive it with a manual clock instead of waiting for a timer.
 *
 * <p>Thread-safe: the token digests are an immutable array behind a volatile field; the reload is
 * serialised on this object.
 */
public final class BearerTokens {
    private static final System.Logger LOG = System.getLogger(BearerTokens.class.getName());
    /** How often, at most, the file is looked at. */
    public static final long CHECK_INTERVAL_MS = 1_000;
    /** A token file larger than this is refused (it would be a mistake, not a list of tokens). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final Path file;
    private final String setting;
    private final TimeSource time;
    private final AtomicLong nextCheckNanos;
    private volatile byte[][] digests;
    /** Guarded by this: what the last look at the file saw, and the last problem logged. */
    private long lastModifiedMs;
    private long size;
    private byte[] contentDigest;
    private String lastProblem;

    private BearerTokens(Path file, String setting, TimeSource time) {
        this.file = file;
        this.setting = setting;
        this.time = time;
        this.nextCheckNanos = new AtomicLong(time.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS));
    }

    /**
     * Reads the tokens from {@code file}.
     *
     * @param setting names the setting in messages, e.g. {@code REST_API_BEARER_TOKEN_FILE}
     * @throws IOException naming {@code setting} and the file when it is missing, unreadable or holds no token
     */
    public static BearerTokens load(Path file, String setting, TimeSource time) throws IOException {
        BearerTokens tokens = new BearerTokens(file, setting, time);
        synchronized (tokens) {
            String problem = tokens.reload();
            if (problem != null) {
                throw new IOException(setting + ": " + problem);
            }
        }
        return tokens;
    }

    /** How many tokens are accepted now. */
    public int size() {
        return digests.length;
    }

    /** Whether {@code token} is one of the accepted tokens (constant-time; may first re-read the file). */
    public boolean accepts(String token) {
        refreshIfDue();
        byte[] presented = sha256(token.getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(presented, d);
        }
        return match;
    }

    private void refreshIfDue() {
        long now = time.monotonicNanos();
        long due = nextCheckNanos.get();
        if (now - due < 0 || !nextCheckNanos.compareAndSet(due, now + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS))) {
            return;
        }
        synchronized (this) {
            String problem = reload();
            if (problem == null) {
                lastProblem = null;
            } else if (!problem.equals(lastProblem)) {
                lastProblem = problem;
                LOG.log(Level.WARNING, setting + ": " + problem + "; keeping the " + digests.length
                        + " token(s) read before");
            }
        }
    }

    /** Looks at the file; replaces the tokens if it changed and is usable. Returns the problem, or null. Guarded by this. */
    private String reload() {
        BasicFileAttributes attributes;
        byte[] content;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (digests != null && attributes.lastModifiedTime().toMillis() == lastModifiedMs && attributes.size() == size) {
                return null; // unchanged since the last good read (only good reads are remembered)
            }
            if (attributes.size() > MAX_FILE_BYTES) {
                return file + " is " + attributes.size() + " bytes, more than the " + MAX_FILE_BYTES
                        + " a token file may have";
            }
            content = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return "cannot read " + file + " (" + describe(e) + ")";
        }
        byte[] digest = sha256(content);
        if (contentDigest != null && MessageDigest.isEqual(digest, contentDigest)) {
            remember(attributes, digest);
            return null; // touched or rewritten unchanged
        }
        List<byte[]> parsed = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            String token = line.trim();
            if (!token.isEmpty()) {
                parsed.add(sha256(token.getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (parsed.isEmpty()) {
            return file + " holds no token (expected one token per line)";
        }
        boolean first = digests == null;
        digests = parsed.toArray(new byte[0][]);
        remember(attributes, digest);
        if (!first) {
            LOG.log(Level.INFO, setting + ": re-read " + file + ", " + parsed.size() + " token(s) accepted now");
        }
        return null;
    }

    private void remember(BasicFileAttributes attributes, byte[] digest) {
        lastModifiedMs = attributes.lastModifiedTime().toMillis();
        size = attributes.size();
        contentDigest = digest;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
